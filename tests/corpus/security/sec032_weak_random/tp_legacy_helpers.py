"""Helpers kept from an old Django 1.x code base."""
import hashlib
import random

from django.core.mail import send_mail


def make_activation_key(user):
    salt = hashlib.sha1(str(random.random()).encode()).hexdigest()[:5]  # expect: SEC031, SEC032
    return hashlib.sha1((salt + user.username).encode()).hexdigest()  # expect: SEC031


def send_verification_email(user):
    code = random.randint(100000, 999999)  # expect: SEC032
    user.profile.pending_code = code
    user.profile.save()
    send_mail("Your code", f"Enter {code} to confirm your address.", None, [user.email])
