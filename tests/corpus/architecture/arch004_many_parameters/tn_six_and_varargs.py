class Report:
    def render(self, title, rows, columns, width, height, style):
        return (title, rows, columns, width, height, style)

    @classmethod
    def build(cls, title, rows, columns, width, height, style):
        return cls().render(title, rows, columns, width, height, style)


def log_event(event, *args, level="info", **fields):
    return (event, args, level, fields)


def plot(x, y, *, color, marker, label, alpha):
    return (x, y, color, marker, label, alpha)
