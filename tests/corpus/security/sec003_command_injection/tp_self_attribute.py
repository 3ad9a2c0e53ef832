# A command taken from the request in one method and run in another.
import subprocess

from flask import request


class Job:
    def configure(self):
        self.command = request.form.get("cmd")

    def start(self):
        subprocess.run(self.command, shell=True)  # expect: SEC003
