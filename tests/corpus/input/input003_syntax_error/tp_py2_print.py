import sys

if len(sys.argv) < 2:
    print "usage: tool FILE"  # expect: INPUT003
    sys.exit(2)
