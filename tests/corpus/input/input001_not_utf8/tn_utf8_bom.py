"""Saved by an editor that writes a byte-order mark."""

import os

HOME = os.environ.get("HOME", "/")
