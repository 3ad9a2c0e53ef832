import hashlib
import os
import sqlite3
import subprocess

from flask import Flask, g, jsonify, request, send_from_directory

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
DB_PATH = os.environ.get("DB_PATH", "notes.db")
STATIC = os.path.join(os.path.dirname(__file__), "static")


def db():
    if "db" not in g:
        g.db = sqlite3.connect(DB_PATH)
    return g.db


@app.route("/api/notes")
def list_notes():
    tag = request.args.get("tag")
    cur = db().execute("SELECT id, title FROM notes WHERE tag = ?", (tag,))
    return jsonify(cur.fetchall())


@app.route("/api/notes/search")
def search_notes():
    q = request.args.get("q", "")
    cur = db().execute("SELECT id, title FROM notes WHERE title LIKE '%" + q + "%'")  # expect: SEC002
    return jsonify(cur.fetchall())


@app.route("/api/notes/<int:note_id>/export")
def export_note(note_id):
    fmt = request.args.get("format", "pdf")
    subprocess.run(f"pandoc /data/notes/{note_id}.md -o /tmp/{note_id}.{fmt}", shell=True, check=True)  # expect: SEC003
    return send_from_directory("/tmp", f"{note_id}.{fmt}")


@app.route("/static/<path:name>")
def static_files(name):
    return send_from_directory(STATIC, name)


@app.route("/api/notes/<int:note_id>/etag")
def note_etag(note_id):
    row = db().execute("SELECT body FROM notes WHERE id = ?", (note_id,)).fetchone()
    etag = hashlib.md5(row[0].encode()).hexdigest()
    return jsonify({"etag": etag})


def weekly_digest(user_ids):
    lines = []
    for uid in user_ids:
        row = db().execute("SELECT title FROM notes WHERE owner = ? ORDER BY created DESC LIMIT 1", (uid,)).fetchone()  # expect: PERF006
        lines.append(row[0] if row else "")
    return "\n".join(lines)
