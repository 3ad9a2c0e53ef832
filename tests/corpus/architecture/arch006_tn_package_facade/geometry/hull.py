class Hull:
    kind = 'hull'
