def area(w, h):
    return w *  # expect: INPUT003


print(area(2, 3))
