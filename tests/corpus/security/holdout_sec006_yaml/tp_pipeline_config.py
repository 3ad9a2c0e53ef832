from pathlib import Path

import yaml
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.post("/pipelines")
async def create_pipeline(spec: UploadFile):
    content = await spec.read()
    pipeline = yaml.load(content, Loader=yaml.Loader)  # expect: SEC006
    return {"steps": len(pipeline.get("steps", []))}


def load_overrides(path: Path):
    with path.open() as fh:
        return list(yaml.load_all(fh, Loader=yaml.UnsafeLoader))  # expect: SEC006


def load_fixture(text):
    return yaml.unsafe_load(text)  # expect: SEC006
