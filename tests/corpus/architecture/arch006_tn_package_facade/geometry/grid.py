class Grid:
    kind = 'grid'
