import pandas as pd
from fastapi import FastAPI
from sqlalchemy import create_engine, text

app = FastAPI()
engine = create_engine("sqlite:///data.db")


@app.get("/metrics")
def metrics(table: str, days: int = 7):
    stmt = text(f"SELECT * FROM {table} WHERE age < {days}")
    with engine.connect() as conn:
        rows = conn.execute(stmt)  # expect: SEC002
        return [dict(r) for r in rows]


@app.get("/frame")
def frame(column: str):
    df = pd.read_sql("SELECT " + column + " FROM sales", engine)  # expect: SEC002
    return df.to_dict()
