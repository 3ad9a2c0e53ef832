HANDLERS = {
    "created": lambda e: ("new", e["id"]),
    "paid": lambda e: ("billing", e["id"]),
    "shipped": lambda e: ("logistics", e["id"]),
    "cancelled": lambda e: ("support", e["id"]),
}


def route_event(event):
    handler = HANDLERS.get(event.get("type"))
    if handler is None:
        return ("dead-letter", event.get("id"))
    if event.get("test"):
        return ("sandbox", event.get("id"))
    return handler(event)


def shipping_band(weight):
    if weight < 1:
        return "S"
    if weight < 5:
        return "M"
    if weight < 20:
        return "L"
    return "XL"
