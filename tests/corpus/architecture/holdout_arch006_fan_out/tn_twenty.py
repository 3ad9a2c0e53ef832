"""Report job: twenty distinct modules, some imported twice or through several names."""
from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import logging
import os
import pathlib
import re
import statistics
import sys
import tempfile
import uuid
import zipfile
from collections import Counter, defaultdict
from collections import OrderedDict
from typing import Iterable
from typing import Mapping

import jinja2
import requests
import sqlalchemy
import yaml


def build(rows: Iterable[Mapping]) -> str:
    import csv as csv_again
    counts = Counter(r["kind"] for r in rows)
    return json.dumps(dict(counts)) + str(csv_again.QUOTE_ALL)
