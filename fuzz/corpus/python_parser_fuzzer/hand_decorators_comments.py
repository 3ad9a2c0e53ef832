import functools


# leading comment
@functools.lru_cache(maxsize=None)  # trailing comment
# between decorators
@staticmethod
def f(x):  # after colon
    # first in body
    return x  # after return
    # last in body


class C:  # class comment
    @property
    # before def
    def p(self):
        return 1
# dedented comment
