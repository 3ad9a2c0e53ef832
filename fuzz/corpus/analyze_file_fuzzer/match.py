match cmd:
    case ['go', direction] if direction in 'nsew':
        move(direction)
    case {'x': x, **rest}:
        pass
    case Point(x=0, y=0) | None:
        pass
    case _:
        pass
