def f():
return 1
  x = 2
	z = 3
