if x
    y = 1
class
