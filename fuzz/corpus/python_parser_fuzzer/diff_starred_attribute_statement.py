*X.n;
