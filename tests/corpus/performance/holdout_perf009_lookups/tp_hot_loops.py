import math

EARTH_KM = 6371.0


def distance_matrix(origins, targets):
    table = []
    for o in origins:
        row = []
        for t in targets:
            dlat = math.radians(t.lat - o.lat)  # expect: PERF009
            dlon = math.radians(t.lon - o.lon)
            lat1 = math.radians(o.lat)
            lat2 = math.radians(t.lat)
            a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
            row.append(2 * EARTH_KM * math.asin(math.sqrt(a)))
        table.append(row)
    return table


class Layout:
    def __init__(self, theme):
        self.theme = theme

    def measure(self, pages):
        heights = []
        for page in pages:
            for block in page.blocks:
                h = self.theme.fonts.line_height(block.title)  # expect: PERF009
                h += self.theme.fonts.line_height(block.body)
                h += self.theme.fonts.line_height(block.caption)
                heights.append(h)
        return heights
