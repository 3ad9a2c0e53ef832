class MonthlyReportJob:  # expect: ARCH001
    def __init__(self, month, db, s3, mailer, recipients):
        self.month = month
        self.db = db
        self.s3 = s3
        self.mailer = mailer
        self.recipients = recipients
        self.rows = []
        self.totals = {}
        self.currency = "EUR"
        self.fx_rates = {}
        self.errors = []
        self.started_at = None
        self.finished_at = None
        self.pdf_path = None
        self.csv_path = None
        self.bucket = "reports"
        self.retries = 3
        self.dry_run = False

    def run(self):
        self.rows = self.db.fetch_month(self.month)
        return len(self.rows)
