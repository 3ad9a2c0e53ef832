import math


def distances(points):
    out = []
    for p in points:
        out.append(math.sqrt(p.x * p.x + p.y * p.y) + math.sqrt(p.z) + math.sqrt(p.w))
    return out


def measure(theme, pages):
    line_height = theme.fonts.line_height
    heights = []
    for page in pages:
        for block in page.blocks:
            heights.append(line_height(block.title) + line_height(block.body) + line_height(block.caption))
    return heights

