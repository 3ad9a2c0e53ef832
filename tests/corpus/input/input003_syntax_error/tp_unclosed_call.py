import logging

log = logging.getLogger(__name__)


def start(port):
    log.info("listening on %d", port  # expect: INPUT003
    return port
