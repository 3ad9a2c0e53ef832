class Ring:
    kind = 'ring'
