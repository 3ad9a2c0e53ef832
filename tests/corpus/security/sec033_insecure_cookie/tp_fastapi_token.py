"""A FastAPI login that keeps the access token in a cookie."""
from fastapi import FastAPI, Form, Response

app = FastAPI()


@app.post("/token")
def issue_token(response: Response, username: str = Form(...), password: str = Form(...)):
    token = create_access_token(username, password)
    response.set_cookie(key="access_token", value=f"Bearer {token}", httponly=True)  # expect: SEC033
    response.set_cookie(key="theme", value="dark")
    return {"ok": True}


def create_access_token(username, password):
    raise NotImplementedError
