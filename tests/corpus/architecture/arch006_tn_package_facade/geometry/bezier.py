class Bezier:
    kind = 'bezier'
