"""YAML read with the safe loaders, and written."""
import yaml
from yaml import CSafeLoader, SafeLoader


def load_config(path):
    with open(path) as f:
        return yaml.safe_load(f)


def load_documents(stream):
    return list(yaml.safe_load_all(stream))


def load_fast(text):
    return yaml.load(text, Loader=CSafeLoader)


def load_positional(text):
    return yaml.load(text, SafeLoader)


def load_qualified(text):
    return yaml.load(text, Loader=yaml.SafeLoader)


def save(path, data):
    with open(path, "w") as f:
        yaml.safe_dump(data, f, sort_keys=False)
    return yaml.dump(data)
