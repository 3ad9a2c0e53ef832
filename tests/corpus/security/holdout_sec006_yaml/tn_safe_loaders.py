import yaml
from yaml import CSafeLoader, SafeLoader
from ruamel.yaml import YAML

ruamel = YAML(typ="safe")


def read_settings(path):
    with open(path) as fh:
        return yaml.safe_load(fh)


def read_all(stream):
    return list(yaml.load_all(stream, Loader=SafeLoader))


def read_fast(text):
    return yaml.load(text, Loader=CSafeLoader)


def read_roundtrip(path):
    with open(path) as fh:
        return ruamel.load(fh)


def dump(data):
    return yaml.safe_dump(data, sort_keys=False)
