import sys


def evaluate(expression):
    return eval(expression)  # expect: SEC001


def build_filter(field, op, value):
    source = f"lambda row: row[{field!r}] {op} {value}"
    return eval(source)  # expect: SEC001


def main():
    code = compile(sys.argv[1], "<argv>", "exec")  # expect: SEC001
    exec(code)  # expect: SEC001
    answer = input("expression> ")
    print(eval(answer))  # expect: SEC001


if __name__ == "__main__":
    main()
