def to_csv(rows, columns):
    out = ",".join(columns) + "\n"
    for row in rows:
        line = ""
        for col in columns:
            line += str(row.get(col, "")) + ","  # expect: PERF002
        out = out + line.rstrip(",") + "\n"  # expect: PERF002
    return out


class SitemapWriter:
    def __init__(self, base_url):
        self.base_url = base_url
        self.xml = '<?xml version="1.0"?><urlset>'

    def write(self, pages):
        for page in pages:
            self.xml += f"<url><loc>{self.base_url}{page.path}</loc></url>"  # expect: PERF002
        self.xml += "</urlset>"
        return self.xml


def read_stream(sock):
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk  # expect: PERF002
    return data
