X,
Y=1
