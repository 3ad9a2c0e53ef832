"""Release helper run from a developer laptop: publishes packages and announces the release."""
import subprocess

import requests

GITLAB_TOKEN = "glpat-7hQx2LmZ9vB4nR6tKp3W"  # expect: SEC004
NPM_TOKEN = "npm_4fK9sLq2Zx7Vb1Nm8Rt5Wy3Pc6Hd0Jg2Ae4D"  # expect: SEC004
RELEASE_WEBHOOK = "https://hooks.slack.com/services/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"  # expect: SEC004
SLACK_DOCS_SAMPLE = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"


def publish(version):
    subprocess.run(["npm", "publish", "--tag", version], check=True)
    requests.post(
        f"https://gitlab.com/api/v4/projects/42/releases?private_token={GITLAB_TOKEN}",
        json={"tag_name": version},
        timeout=10,
    )
    requests.post(RELEASE_WEBHOOK, json={"text": f"Released {version}"}, timeout=10)
