class Line:
    kind = 'line'
