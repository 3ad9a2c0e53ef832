class Sector:
    kind = 'sector'
