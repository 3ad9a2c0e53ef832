"""The geometry package: its public names, re-exported from its submodules."""
from .circle import Circle
from .square import Square
from .triangle import Triangle
from .polygon import Polygon
from .ellipse import Ellipse
from .arc import Arc
from .line import Line
from .point import Point
from .vector import Vector
from .matrix import Matrix
from .bbox import Bbox
from .hull import Hull
from .spline import Spline
from .bezier import Bezier
from .grid import Grid
from .mesh import Mesh
from .path import Path
from .ring import Ring
from .sector import Sector
from .segment import Segment
from .star import Star
from .transform import Transform

__all__ = [
    'Circle',
    'Square',
    'Triangle',
    'Polygon',
    'Ellipse',
    'Arc',
    'Line',
    'Point',
    'Vector',
    'Matrix',
    'Bbox',
    'Hull',
    'Spline',
    'Bezier',
    'Grid',
    'Mesh',
    'Path',
    'Ring',
    'Sector',
    'Segment',
    'Star',
    'Transform',
]
