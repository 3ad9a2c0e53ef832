class HtmlSanitizer:
    def __init__(self):
        self.allowed_tags = ["a", "b", "i", "em", "strong", "p", "ul", "ol", "li", "code", "pre"]

    def clean(self, tokens):
        kept = []
        for tok in tokens:
            if tok.kind == "tag" and tok.name not in self.allowed_tags:  # expect: PERF003
                continue
            kept.append(tok)
        return kept
