"""Loads user-defined hooks stored in the admin settings table."""
import logging

log = logging.getLogger(__name__)


class HookRunner:
    def __init__(self, repo):
        self.repo = repo

    def run_hook(self, name, context):
        source = self.repo.get_hook_source(name)
        namespace = {"context": context, "log": log}
        exec(source, namespace)  # expect: SEC001
        return namespace.get("result")
