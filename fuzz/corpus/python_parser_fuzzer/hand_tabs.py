def f(a,
	b):
	if a:
		return b
	else:
		return a

class K:
	x = 1
	def g(self):
		return [
			1,
		]
