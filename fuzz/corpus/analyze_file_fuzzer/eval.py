import sys
eval(sys.argv[1])
exec(input())
