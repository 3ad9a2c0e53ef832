import os
import uuid

from flask import Flask, request
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "/srv/uploads"


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    f.save(os.path.join(app.config["UPLOAD_FOLDER"], secure_filename(f.filename)))
    return "stored"


@app.route("/avatar", methods=["POST"])
def avatar():
    image = request.files["avatar"]
    image.save(os.path.join(app.config["UPLOAD_FOLDER"], f"{uuid.uuid4().hex}.png"))
    return "ok"
