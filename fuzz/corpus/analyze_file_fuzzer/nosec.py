eval(x)  # nosec
eval(y)  # nosec SEC001
eval(z)  # conclave: ignore[SEC001,PERF002]
s = '# nosec'
