from dataclasses import dataclass


def send_invoice(customer, invoice, template, cc, bcc, attach_pdf, locale):  # expect: ARCH004
    return customer, invoice, template, cc, bcc, attach_pdf, locale


class ReportExporter:
    def export(self, report, fmt, *, include_charts, include_raw, page_size, orientation, compress):  # expect: ARCH004
        return report, fmt, include_charts, include_raw, page_size, orientation, compress


async def create_user(db, email, password, first_name, last_name, role="member", team=None, invited_by=None):  # expect: ARCH004
    return await db.insert(email=email, password=password, first_name=first_name, last_name=last_name,
                           role=role, team=team, invited_by=invited_by)


@dataclass
class MailOptions:
    cc: list
    bcc: list
    attach_pdf: bool
    locale: str
