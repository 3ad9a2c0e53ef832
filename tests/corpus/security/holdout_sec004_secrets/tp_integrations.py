"""Third-party integrations used by the notification worker."""
import os

from slack_sdk import WebClient
import stripe


class SlackNotifier:
    token = "xoxb-2841937502-3918204756123-Qm8ZtR2vLx9KpW4nY7bHc3Jd"  # expect: SEC004

    def __init__(self, channel="#ops"):
        self.client = WebClient(token=self.token)
        self.channel = channel


def configure_billing():
    stripe.api_key = "sk_live_51HqR8sKz2LmN4vB7xC9pD3fG6hJ0kT5wY8uE1iO2aQ"  # expect: SEC004
    stripe.max_network_retries = 2


REGION = os.environ.get("AWS_REGION", "eu-west-1")
