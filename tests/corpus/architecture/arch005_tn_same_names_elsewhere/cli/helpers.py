def parse(argv):
    return dict(arg.split("=", 1) for arg in argv if "=" in arg)
