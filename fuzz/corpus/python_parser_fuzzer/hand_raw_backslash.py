a = r"\\"
b = r"abc\\"
c = r'\'' + "x"
d = rb"\\\\"
e = br'\\'
g = Rb"\"" + r"x\\" "y"
