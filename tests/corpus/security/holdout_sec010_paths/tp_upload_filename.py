import shutil
from pathlib import Path

from fastapi import FastAPI, UploadFile

app = FastAPI()
UPLOAD_DIR = Path("/srv/uploads")


@app.post("/upload")
def upload(file: UploadFile):
    destination = UPLOAD_DIR / file.filename
    with open(destination, "wb") as out:  # expect: SEC010
        shutil.copyfileobj(file.file, out)
    return {"stored": file.filename}
