def f():
    x: list[int] | No  <= await i
