class Transform:
    kind = 'transform'
