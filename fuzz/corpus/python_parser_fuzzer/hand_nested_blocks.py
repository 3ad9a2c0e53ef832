def outer(items):
    for item in items:
        if item:
            while item > 0:
                try:
                    item -= 1
                except ValueError as err:
                    raise RuntimeError("x") from err
                else:
                    pass
                finally:
                    pass
                # trailing in while
            # trailing in if
        # trailing in for
    # trailing in def
    with open("f") as fh, open("g") as gh:
        return fh, gh
        # after return, deeper
# at top level
x = 1
