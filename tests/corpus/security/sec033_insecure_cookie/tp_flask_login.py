"""Login views that hand out session cookies without their flags."""
from flask import Flask, make_response, redirect, request

app = Flask(__name__)
app.config["SESSION_COOKIE_SECURE"] = False  # expect: SEC033
app.config.update(  # expect: SEC033
    SESSION_COOKIE_HTTPONLY=False,
    PERMANENT_SESSION_LIFETIME=3600,
)


@app.route("/login", methods=["POST"])
def login():
    user = authenticate(request.form["username"], request.form["password"])
    resp = make_response(redirect("/"))
    resp.set_cookie("session_id", user.new_session())  # expect: SEC033
    resp.set_cookie("remember_me", user.remember_token, max_age=30 * 24 * 3600, secure=True)  # expect: SEC033
    return resp


@app.route("/sso/callback")
def sso_callback():
    resp = make_response(redirect("/"))
    resp.set_cookie(  # expect: SEC033
        key="auth_token",
        value=request.args["token"],
        httponly=True,
        secure=False,
    )
    return resp


def authenticate(username, password):
    raise NotImplementedError
