import os
import subprocess
import sys


def git(args):
    return subprocess.getoutput("git " + args)  # expect: SEC003


def show_log(branch):
    return git("log --oneline " + branch)


def notify(message):
    os.system("notify-send '%s'" % message)  # expect: SEC003


def main():
    target = sys.argv[1]
    subprocess.call("rsync -a build/ " + target, shell=True)  # expect: SEC003
    notify(input("message: "))


if __name__ == "__main__":
    main()
