def f():
    pass
del # c
x = 1
