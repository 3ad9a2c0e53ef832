type Point[T] = tuple[T, T]
def first[T: int, *Ts, **P](x: T) -> T:
    return x
class Box[T]:
    pass
print(f"{'a' + f"{1+1}"}")
if (n := 10) > 5:
    pass
