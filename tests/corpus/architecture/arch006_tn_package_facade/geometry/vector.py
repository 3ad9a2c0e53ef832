class Vector:
    kind = 'vector'
