class Segment:
    kind = 'segment'
