import random
import string


def reset_account(user, mailer):
    temp_password = "".join(random.choices(string.ascii_letters + string.digits, k=12))  # expect: SEC032
    user.set_password(temp_password)
    mailer.send(user.email, f"Your temporary password is {temp_password}")
