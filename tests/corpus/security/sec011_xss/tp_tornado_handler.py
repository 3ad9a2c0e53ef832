import tornado.web


class GreetHandler(tornado.web.RequestHandler):
    def get(self):
        name = self.get_argument("name", "stranger")
        self.write("<h1>Hello, " + name + "</h1>")  # expect: SEC011


class SearchHandler(tornado.web.RequestHandler):
    def get(self):
        q = self.get_query_argument("q", "")
        self.redirect("/search?q=" + q)
        self.write({"query": q})
