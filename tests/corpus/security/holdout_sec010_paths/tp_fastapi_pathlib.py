from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()
LOG_ROOT = Path("/var/log/services")


@app.get("/logs/{service}/{name}", response_class=PlainTextResponse)
def read_log(service: str, name: str):
    log_file = LOG_ROOT / service / name
    return log_file.read_text(errors="replace")  # expect: SEC010


@app.put("/notes/{name}")
def save_note(name: str, body: str):
    (Path("/srv/notes") / name).write_text(body)  # expect: SEC010
    return {"saved": name}
