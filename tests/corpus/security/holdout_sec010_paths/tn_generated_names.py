import shutil
import uuid
from pathlib import Path

from fastapi import FastAPI, UploadFile

app = FastAPI()
UPLOAD_DIR = Path("/srv/uploads")
ALLOWED_SUFFIXES = {".png", ".jpg", ".pdf"}


@app.post("/upload")
def upload(file: UploadFile):
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        suffix = ".bin"
    destination = UPLOAD_DIR / f"{uuid.uuid4().hex}{suffix}"
    with open(destination, "wb") as out:
        shutil.copyfileobj(file.file, out)
    return {"stored": destination.name}
