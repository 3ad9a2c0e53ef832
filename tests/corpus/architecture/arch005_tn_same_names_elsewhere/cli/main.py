"""Two scripts directories with modules of the same names: cli/main imports cli/helpers and
web/helpers imports web/main, so no module of one directory imports the other's."""
import helpers


def run(argv):
    return helpers.parse(argv)
