from .mailer import send_welcome


def register_all():
    from .events import subscribe
    subscribe("user.created", send_welcome)
