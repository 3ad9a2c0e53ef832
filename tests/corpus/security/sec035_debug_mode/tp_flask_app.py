"""The orders service entry point."""
from flask import Flask

app = Flask(__name__)
app.config["DEBUG"] = True  # expect: SEC035


class ProductionConfig:
    DEBUG = True  # expect: SEC035
    TESTING = False


@app.route("/health")
def health():
    return "ok"


def create_app():
    application = Flask(__name__)
    application.debug = True  # expect: SEC035
    return application


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080, debug=True)  # expect: SEC035
