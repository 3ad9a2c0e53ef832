import subprocess
import sys


def run_linter(files):
    cmd = [sys.executable, "-m", "flake8", "--max-line-length=100", *files]
    result = subprocess.run(cmd, shell=False, capture_output=True, text=True)
    return result.returncode, result.stdout


def convert(src, dst):
    proc = subprocess.Popen(["ffmpeg", "-y", "-i", src, dst], stdout=subprocess.DEVNULL)
    return proc.wait()
