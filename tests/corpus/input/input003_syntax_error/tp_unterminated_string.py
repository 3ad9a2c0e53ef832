GREETING = "hello  # expect: INPUT003
NAME = "world"
