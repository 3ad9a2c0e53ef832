"""Ops command line: backups, user admin, reports and cache maintenance."""
import argparse  # expect: ARCH006
import csv
import datetime
import getpass
import gzip
import hashlib
import json
import logging
import os
import shutil
import smtplib
import subprocess
import sys
import tarfile
import tempfile
from email.message import EmailMessage
from pathlib import Path

import boto3
import psycopg2
import redis
import requests
import yaml

log = logging.getLogger("admin")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="admin")
    parser.add_argument("command", choices=["backup", "report", "flush"])
    args = parser.parse_args(argv)
    log.info("running %s as %s on %s", args.command, getpass.getuser(), datetime.date.today())
    return 0
