x = \
    "string after continuation"
y = 1 + \
    2 + \
    \
    3
call = print(\
    "a", \
    'b')
if x and \
   y:
    z = \
        f"{x}"
assert x, \
    "message"
