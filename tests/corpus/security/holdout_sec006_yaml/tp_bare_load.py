import yaml


class DeployManifest:
    def __init__(self, raw):
        self.data = yaml.load(raw)  # expect: SEC006

    @property
    def replicas(self):
        return self.data.get("replicas", 1)
