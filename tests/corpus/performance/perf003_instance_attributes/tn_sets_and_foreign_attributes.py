class Router:
    methods = frozenset({"GET", "POST"})

    def __init__(self, routes, prefixes):
        self.paths = {r.path for r in routes}
        self.prefixes = prefixes
        self.stack = []

    def reload(self, routes):
        self.stack = tuple(r.path for r in routes)

    def match(self, requests, other):
        for req in requests:
            if req.method in self.methods and req.path in self.paths:
                yield req
            if req.path in self.prefixes:
                yield req
            if req.path in self.stack:
                yield req
            if req.path in other.paths:
                yield req

    def pairs(self, items):
        for item in items:
            self.window = [item.left, item.right]
            if item.key in self.window:
                yield item
