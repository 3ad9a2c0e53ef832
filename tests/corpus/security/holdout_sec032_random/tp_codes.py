import random
import string

import numpy as np


def generate_otp():
    return "".join(random.choice(string.digits) for _ in range(6))  # expect: SEC032


class PasswordResetService:
    def __init__(self, store):
        self.store = store

    def issue(self, user_id):
        reset_token = "%032x" % random.getrandbits(128)  # expect: SEC032
        self.store.save(user_id, reset_token)
        return reset_token


def new_api_key():
    api_key = "".join(np.random.choice(list(string.ascii_letters + string.digits), 40))  # expect: SEC032
    return api_key


def invite(user, mailer):
    verification_code = random.randint(100000, 999999)  # expect: SEC032
    mailer.send(user.email, code=verification_code)
