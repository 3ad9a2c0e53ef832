# Request data stored on self in one method reaches a file path in another.
import os

from flask import request, send_file


class Download:
    def __init__(self):
        self.name = None

    def load(self):
        self.name = request.args["file"]

    def send(self):
        return send_file(os.path.join("/srv/files", self.name))  # expect: SEC010

    def read(self):
        path = os.path.join("/srv/files", self.name)
        with open(path) as fh:  # expect: SEC010
            return fh.read()
