class Mesh:
    kind = 'mesh'
