def create_user(name, email, password, role, team, locale, timezone):  # expect: ARCH004
    return {"name": name, "email": email, "role": role, "team": team,
            "locale": locale, "timezone": timezone, "password": password}


class Mailer:
    def send(self, sender, to, cc, bcc, subject, body, attachments, headers, reply_to,  # expect: ARCH004
             priority, tracking):
        return (sender, to, cc, bcc, subject, body, attachments, headers, reply_to, priority,
                tracking)
