def f(a, b, c, d, e, f, g, h, i, j, k):
    if a == 0 and b or c:
        return 0
    if a == 1 and b or c:
        return 1
    if a == 2 and b or c:
        return 2
    if a == 3 and b or c:
        return 3
    if a == 4 and b or c:
        return 4
    if a == 5 and b or c:
        return 5
    if a == 6 and b or c:
        return 6
    if a == 7 and b or c:
        return 7
    if a == 8 and b or c:
        return 8
    if a == 9 and b or c:
        return 9
    if a == 10 and b or c:
        return 10
    if a == 11 and b or c:
        return 11
    if a == 12 and b or c:
        return 12
    if a == 13 and b or c:
        return 13
    if a == 14 and b or c:
        return 14
    if a == 15 and b or c:
        return 15
    if a == 16 and b or c:
        return 16
    if a == 17 and b or c:
        return 17
    if a == 18 and b or c:
        return 18
    if a == 19 and b or c:
        return 19
    if a == 20 and b or c:
        return 20
    if a == 21 and b or c:
        return 21
    if a == 22 and b or c:
        return 22
    if a == 23 and b or c:
        return 23
    if a == 24 and b or c:
        return 24
    return None
