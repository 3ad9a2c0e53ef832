class Square:
    kind = 'square'
