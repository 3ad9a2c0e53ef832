from . import handlers  # expect: ARCH005

SUBSCRIBERS = {}


def subscribe(name, fn):
    SUBSCRIBERS.setdefault(name, []).append(fn)


def emit(name, payload):
    for fn in SUBSCRIBERS.get(name, []):
        fn(payload)


handlers.register_all()
