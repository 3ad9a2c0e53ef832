import json


def replay_events(paths, bus):
    for path in paths:
        with open(path) as fh:
            for line in fh:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if event.get("type") != "order":
                    continue
                bus.publish("orders", event)


def classify(order):
    if order.paid:
        if order.shipped:
            if order.delivered:
                if order.returned:
                    return "returned"
                elif order.reviewed:
                    return "reviewed"
                else:
                    return "delivered"
            return "shipped"
        return "paid"
    return "new"


def make_handler(routes):
    for route in routes:
        if route.enabled:
            def handler(request):
                for part in request.parts:
                    with part.open() as fh:
                        if fh.readable():
                            return fh.read()
            route.handler = handler
