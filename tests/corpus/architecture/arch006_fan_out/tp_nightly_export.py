"""Nightly job: everything the export needs, in one module."""
import argparse  # expect: ARCH006
import base64
import csv
import datetime
import decimal
import email.message
import functools
import gzip
import hashlib
import http.client
import io
import itertools
import json
import logging
import os
import pathlib
import re
import shutil
import smtplib
import sqlite3
import tempfile
import urllib.parse


def main(argv=None):
    args = argparse.ArgumentParser().parse_args(argv)
    logging.info("export %s", args)
    return 0
