def render(rows):
    out = ""
    for row in rows:
        out += "<tr><td>" + str(row.name) + "</td></tr>"  # expect: PERF002
    return out


def csv_line(cells):
    line = ''
    for c in cells:
        line = line + c + ','  # expect: PERF002
    return line
