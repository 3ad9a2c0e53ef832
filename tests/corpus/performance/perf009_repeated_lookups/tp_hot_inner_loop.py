import math


class Renderer:
    def shade(self, image):
        for y, row in enumerate(image):
            for x, pixel in enumerate(row):
                r = self.settings.palette.lookup(pixel.r)  # expect: PERF009
                g = self.settings.palette.lookup(pixel.g)
                b = self.settings.palette.lookup(pixel.b)
                row[x] = (r, g, b)


def distances(points, centers):
    out = []
    for p in points:
        for c in centers:
            dx = math.fabs(p.x - c.x)  # expect: PERF009
            dy = math.fabs(p.y - c.y)
            dz = math.fabs(p.z - c.z)
            out.append(math.hypot(dx, dy, dz))
    return out
