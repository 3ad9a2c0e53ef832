from lxml import etree


class FeedReader:
    def __init__(self):
        self.parser = etree.XMLParser(resolve_entities=True)  # expect: SEC030

    def titles(self, payload):
        tree = etree.fromstring(payload, parser=self.parser)
        return [t.text for t in tree.iter("title")]
