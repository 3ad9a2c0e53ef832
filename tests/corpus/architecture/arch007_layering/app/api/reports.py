from ..db import models  # expect: ARCH007
from ..services.reporting import monthly


def revenue(month):
    return monthly(month, model=models.Order)


def export(month):
    import app.db.export as export_db  # expect: ARCH007

    return export_db.dump(revenue(month))
