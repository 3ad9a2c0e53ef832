import pandas as pd
from sqlalchemy import create_engine

engine = create_engine("postgresql+psycopg2://reporting@warehouse/analytics")


def events_for(kind, since):
    with engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT * FROM events WHERE kind = '{kind}' AND ts >= '{since}'").fetchall()  # expect: SEC002


def revenue_frame(customer_id):
    return pd.read_sql("SELECT month, revenue FROM revenue WHERE customer_id = " + str(customer_id), engine)  # expect: SEC002


def revenue_frame_safe(customer_id):
    return pd.read_sql("SELECT month, revenue FROM revenue WHERE customer_id = %(cid)s", engine, params={"cid": customer_id})
