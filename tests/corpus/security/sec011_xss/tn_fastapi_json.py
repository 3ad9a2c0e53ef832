from fastapi import FastAPI

app = FastAPI()


@app.get("/echo")
def echo(message: str):
    return message


@app.get("/items/{item_id}")
def item(item_id: int, q: str = ""):
    return {"item_id": item_id, "q": q}
