class SmtpMailer:
    def __init__(self, settings, *, sender=None):
        self.settings = settings
        self.sender = sender or settings.default_sender

    def send(self, to, subject, body, *attachments, **headers):
        return to, subject, body, attachments, headers
