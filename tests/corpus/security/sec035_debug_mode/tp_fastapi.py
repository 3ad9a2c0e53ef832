"""The catalogue API."""
from fastapi import FastAPI

app = FastAPI(title="catalogue", debug=True)  # expect: SEC035


@app.get("/items/{item_id}")
def read_item(item_id: int):
    return {"item_id": item_id}
