"""Account flows that mint secrets with the random module."""
import random
import string
from random import choice, randint

ALPHABET = string.ascii_letters + string.digits


def generate_password(length=12):
    return "".join(choice(ALPHABET) for _ in range(length))  # expect: SEC032


def new_session_id():
    return "%032x" % random.getrandbits(128)  # expect: SEC032


class PasswordReset:
    def __init__(self, user):
        self.user = user
        self.reset_code = randint(100000, 999999)  # expect: SEC032

    def email_body(self):
        return f"Your code is {self.reset_code}"


def send_login_sms(phone, sms_gateway):
    otp = str(random.randint(0, 999999)).zfill(6)  # expect: SEC032
    sms_gateway.send(phone, f"Your one-time code: {otp}")
    return otp


def issue_api_key(user):
    api_key = "".join(random.choices(ALPHABET, k=40))  # expect: SEC032
    user.api_keys.append(api_key)
    return api_key


def csrf_protect(session):
    if "csrf_token" not in session:
        session["csrf_token"] = "".join(
            random.choice(string.hexdigits) for _ in range(32)  # expect: SEC032
        )
    return session["csrf_token"]


def make_salt():
    chars = list(ALPHABET)
    random.shuffle(chars)  # expect: SEC032
    return "".join(chars[:16])
