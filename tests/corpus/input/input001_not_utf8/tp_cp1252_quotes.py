def greet(name):
    # “Smart quotes” pasted from a word processor  # expect: INPUT001
    return "Hello, " + name
