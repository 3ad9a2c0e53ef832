s = '''never closed
x = (
