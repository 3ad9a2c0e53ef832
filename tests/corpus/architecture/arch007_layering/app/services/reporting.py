from app.db import models


def monthly(month, model=None):
    model = model or models.Order
    return [row for row in model.rows if row.month == month]
