from flask import Flask

from .views import bp

app = Flask(__name__)
app.register_blueprint(bp)
app.config.update(DEBUG=True, JSON_SORT_KEYS=False)  # expect: SEC035

if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000, debug=True)  # expect: SEC035
