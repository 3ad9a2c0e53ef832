import json
from pathlib import Path

BASE = Path(__file__).resolve().parent
TEMPLATES = BASE / "templates"


def load_defaults():
    return json.loads((BASE / "defaults.json").read_text())


def list_templates():
    return sorted(p.name for p in TEMPLATES.glob("*.html"))


def read_template(name):
    if name not in list_templates():
        raise KeyError(name)
    return (TEMPLATES / name).read_text()
