import os
import sys


def main():
    path = sys.argv[1]
    with open(path) as fh:
        data = fh.read()
    out = os.environ.get("OUT_DIR", ".")
    with open(os.path.join(out, "result.txt"), "w") as fh:
        fh.write(data.upper())


if __name__ == "__main__":
    main()
