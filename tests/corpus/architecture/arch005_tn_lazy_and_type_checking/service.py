import logging

import repository

log = logging.getLogger(__name__)


def place(order):
    log.info("placing %s", order)
    return repository.save(order)
