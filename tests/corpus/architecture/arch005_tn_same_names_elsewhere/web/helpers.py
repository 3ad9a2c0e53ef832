import main


@main.route("/health")
def health():
    return "ok"
