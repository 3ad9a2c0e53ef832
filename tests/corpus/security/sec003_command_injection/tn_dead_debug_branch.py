import os
import subprocess

from flask import request

ENABLE_SHELL = False


def admin_console():
    command = request.form.get("command", "")
    if ENABLE_SHELL:
        return subprocess.getoutput(command)
    return "disabled"


def restart():
    service = request.args.get("service")
    service = "nginx"
    os.system("systemctl restart " + service)


def status():
    if 0:
        os.system("echo " + request.args["x"])
    return os.popen("uptime").read()
