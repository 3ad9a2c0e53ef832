"""Entry points of three small services kept in one repository."""
import os

import bottle
import tornado.ioloop
import tornado.web
from flask import Flask
from werkzeug.serving import run_simple

os.environ["FLASK_DEBUG"] = "1"  # expect: SEC035

flask_app = Flask(__name__)
HOST = os.environ.get("HOST", "0.0.0.0")
PORT = int(os.environ.get("PORT", "8000"))


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


def make_tornado_app():
    return tornado.web.Application([(r"/", MainHandler)], debug=True)  # expect: SEC035


def serve_wsgi(application):
    run_simple("0.0.0.0", 8080, application, use_reloader=True, use_debugger=True)  # expect: SEC035


def serve_bottle():
    bottle.debug(True)  # expect: SEC035
    bottle.run(host="0.0.0.0", port=8081)


def serve_flask():
    flask_app.run(HOST, PORT, True)  # expect: SEC035


if __name__ == "__main__":
    tornado_app = make_tornado_app()
    tornado_app.listen(8888)
    tornado.ioloop.IOLoop.current().start()
