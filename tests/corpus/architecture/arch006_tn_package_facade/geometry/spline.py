class Spline:
    kind = 'spline'
