from fastapi import FastAPI
from fastapi.responses import FileResponse

app = FastAPI()
REPORTS = {"q1": "/data/reports/q1.pdf", "q2": "/data/reports/q2.pdf"}


@app.get("/invoices/{invoice_id}")
async def invoice(invoice_id: int):
    return FileResponse(f"/data/invoices/{invoice_id}.pdf")


@app.get("/reports/{quarter}")
async def report(quarter: str):
    path = REPORTS.get(quarter, "/data/reports/empty.pdf")
    return FileResponse(path)
