import ast
import re

DEBUG = False
DEFAULT_EXPR = "1 + 2"


def settings_value(raw):
    return ast.literal_eval(raw)


def default_total():
    expr = DEFAULT_EXPR
    return eval(expr)


def overwritten(request):
    expr = request.args.get("expr")
    expr = "40 + 2"
    return eval(expr)


def templated():
    op = "+"
    return eval(f"3 {op} 4")


def pattern(user_pattern):
    return re.compile(user_pattern)


def debug_hook(request):
    if DEBUG:
        exec(request.form["code"])
    return None


class Model:
    def evaluate(self):
        self.model.eval()
        return self
