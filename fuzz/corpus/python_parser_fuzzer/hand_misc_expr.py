a = 1 if b else 2
c = not a and b or c
d = a < b <= c != d is not e not in f
e = [x for x in range(10) if x % 2 for y in range(x)]
f = {k: v for k, v in d.items()}
g = {x for x in a}
h = (x for x in a)
i = a[1:2, ::3, ...]
j = lambda: (yield)
k = 0x1F + 0o17 + 0b11 + 1_000 + 1.5e-3 + 2j
l = -a ** -b
m = a @ b // c
del a, b
global q
nonlocal_ = (n := 5)
print(*(), sep='') ; pass
