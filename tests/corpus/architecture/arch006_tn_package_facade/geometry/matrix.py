class Matrix:
    kind = 'matrix'
