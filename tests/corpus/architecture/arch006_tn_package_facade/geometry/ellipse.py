class Ellipse:
    kind = 'ellipse'
