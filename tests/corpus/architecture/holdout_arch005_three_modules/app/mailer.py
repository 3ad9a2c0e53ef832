import smtplib

from .events import emit


def send_welcome(user):
    with smtplib.SMTP("localhost") as smtp:
        smtp.sendmail("noreply@example.com", [user["email"]], "Welcome!")
    emit("mail.sent", {"to": user["email"]})
