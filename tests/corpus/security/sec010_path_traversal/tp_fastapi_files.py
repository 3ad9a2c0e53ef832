from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()


@app.get("/files/{name}")
async def read_file(name: str):
    return FileResponse(f"/data/files/{name}")  # expect: SEC010


@app.post("/notes")
async def save_note(title: str, body: str):
    with open("/data/notes/" + title + ".txt", "w") as fh:  # expect: SEC010, PERF008
        fh.write(body)
    return {"saved": title}
