def f(x):
    if x:
        for i in x:
            while i:
                try:
                    with open(i) as fh:
                        match fh:
                            case 1:
                                pass
                except* ValueError:
                    pass
