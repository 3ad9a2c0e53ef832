import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description="Filter rows of a CSV export")
    parser.add_argument("path")
    parser.add_argument("--where", default="True")
    args = parser.parse_args(argv)
    predicate = args.where
    with open(args.path) as fh:
        header = fh.readline().strip().split(",")
        for line in fh:
            row = dict(zip(header, line.strip().split(",")))
            if eval(predicate, {}, row):  # expect: SEC001
                sys.stdout.write(line)


if __name__ == "__main__":
    main()
