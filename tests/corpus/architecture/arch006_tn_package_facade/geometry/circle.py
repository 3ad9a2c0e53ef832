class Circle:
    kind = 'circle'
