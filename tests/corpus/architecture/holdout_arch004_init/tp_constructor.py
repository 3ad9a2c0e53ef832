class SmtpMailer:
    def __init__(self, host, port, username, password, use_tls, timeout, sender):  # expect: ARCH004
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.use_tls = use_tls
        self.timeout = timeout
        self.sender = sender
