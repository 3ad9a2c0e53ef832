name = 'x'
print(f"{f"{f"{name}"}"}")
print(f'{x!r:>{width}}')
print(f"""{
  a
  # comment
}""")
