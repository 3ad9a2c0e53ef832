def classify(code):  # expect: PERF004
    if code == 0:
        return 'kind0'
    elif code == 1:
        return 'kind1'
    elif code == 2:
        return 'kind2'
    elif code == 3:
        return 'kind3'
    elif code == 4:
        return 'kind4'
    elif code == 5:
        return 'kind5'
    elif code == 6:
        return 'kind6'
    elif code == 7:
        return 'kind7'
    elif code == 8:
        return 'kind8'
    elif code == 9:
        return 'kind9'
    elif code == 10:
        return 'kind10'
    elif code == 11:
        return 'kind11'
    return 'unknown'
