# Attributes of self that hold no request data, or a sanitized copy of it.
import os

from flask import request, send_file


class SafeDownload:
    def load(self):
        self.name = os.path.basename(request.args["file"])

    def send(self):
        return send_file(os.path.join("/srv/files", self.name))


class CleanedLater:
    def load(self):
        self.name = request.args["file"]

    def clean(self):
        self.name = os.path.basename(self.name)

    def send(self):
        # Which of load() and clean() ran last is not known: the sanitized store wins.
        return send_file(os.path.join("/srv/files", self.name))


class FixedName:
    def load(self):
        self.name = "index.html"
        self.label = request.args.get("label")

    def send(self):
        return send_file(os.path.join("/srv/files", self.name))


class OtherClass:
    def send(self):
        # Another class's attribute of the same name is not this one.
        return send_file(os.path.join("/srv/files", self.name))
