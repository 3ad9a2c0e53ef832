import subprocess as sp, os
sp.run('ls ' + os.environ['X'], shell=True)
os.system(input())
