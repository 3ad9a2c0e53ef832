from starlette.requests import Request
from starlette.responses import RedirectResponse


async def oauth_callback(request: Request):
    state = request.query_params.get("state", "/")
    return RedirectResponse(url=state, status_code=302)  # expect: SEC012
