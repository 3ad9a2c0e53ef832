from starlette.applications import Starlette
from starlette.routing import Route

from .endpoints import homepage, status

app = Starlette(debug=True, routes=[Route("/", homepage), Route("/status", status)])  # expect: SEC035
