from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/go")
def go(url: str):
    return RedirectResponse(url)  # expect: SEC012
