import a.b.c as d
from . import x
from ..pkg import (y as z, w)
from m import *
