import json
import logging

log = logging.getLogger(__name__)


def replay_events(paths, bus):
    for path in paths:
        with open(path) as fh:
            for line in fh:
                try:
                    event = json.loads(line)
                    if event.get("type") == "order":  # expect: ARCH003
                        bus.publish("orders", event)
                except ValueError:
                    log.warning("bad line in %s", path)


class Consumer:
    def poll(self, queue):
        while True:
            batch = queue.receive(max_messages=10)
            try:
                for msg in batch:
                    if msg.attributes.get("retry"):
                        match msg.kind:  # expect: ARCH003
                            case "email":
                                self.retry_email(msg)
                            case _:
                                queue.dead_letter(msg)
                    else:
                        queue.ack(msg)
            except ConnectionError:
                log.exception("receive failed")

    def retry_email(self, msg):
        log.info("retrying %s", msg.id)
