class MimeFilter:
    allowed = ["text/plain", "text/html", "application/json", "image/png"]

    def __init__(self, extra_types):
        self.blocked = [t.strip().lower() for t in extra_types]
        self.seen = []

    def accept(self, parts):
        kept = []
        for part in parts:
            if part.mime not in self.allowed:  # expect: PERF003
                continue
            if part.mime in self.blocked:  # expect: PERF003
                continue
            kept.append(part)
        return kept

    def first_of_each(self, events):
        for event in events:
            if event.key not in self.seen:  # expect: PERF003
                self.seen.append(event.key)
                yield event
