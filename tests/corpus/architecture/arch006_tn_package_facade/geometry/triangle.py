class Triangle:
    kind = 'triangle'
