class Path:
    kind = 'path'
