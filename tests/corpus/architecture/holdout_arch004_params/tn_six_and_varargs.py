class Mailer:
    def send(self, to, subject, body, cc=None, bcc=None, reply_to=None):
        return to, subject, body, cc, bcc, reply_to

    @classmethod
    def from_settings(cls, host, port, user, password, use_tls, timeout):
        return cls()


def log_event(name, *args, level="info", **kwargs):
    return name, args, level, kwargs


def send_invoice(customer, invoice, options):
    return customer, invoice, options
