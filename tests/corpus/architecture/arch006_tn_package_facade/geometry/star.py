class Star:
    kind = 'star'
