class Point:
    kind = 'point'
