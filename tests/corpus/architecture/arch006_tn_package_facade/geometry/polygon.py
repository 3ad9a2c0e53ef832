class Polygon:
    kind = 'polygon'
