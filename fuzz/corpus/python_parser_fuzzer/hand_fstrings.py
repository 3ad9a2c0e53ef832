name = "x"
width = 10
a = f"{name!r:>{width}} and {{braces}} {name=}"
b = f'{"nested"}' f"{3.14:.2f}" rf"\d+{name}" fr'{name}\n'
c = f"""multi
{name.upper()
 }line"""
d = f"{a if a else b}" "plain" 'more'
e = f"{ {1: 2}[1] }"
