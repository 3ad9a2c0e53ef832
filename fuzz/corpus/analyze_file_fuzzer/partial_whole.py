Pimport os
os.system(input())
