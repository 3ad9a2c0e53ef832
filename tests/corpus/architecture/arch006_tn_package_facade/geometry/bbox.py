class Bbox:
    kind = 'bbox'
