"""Twenty distinct modules, some imported several times and in functions."""
import os
import os.path as osp
from os import environ, getcwd
import argparse
import base64
import csv
import datetime
import decimal
import functools
import gzip
import hashlib
import io
import itertools
import json
import logging
import pathlib
import re
import shutil
import tempfile
from json import dumps, loads
from logging import getLogger
from collections import OrderedDict
from typing import Any


def settings() -> Any:
    import json

    return json.loads(environ.get("SETTINGS", "{}")) or OrderedDict(cwd=getcwd())
