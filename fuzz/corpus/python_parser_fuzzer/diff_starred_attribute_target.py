*impo.r = APIRou;
