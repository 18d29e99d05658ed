"""The monthly claim schedule as an Excel workbook (openpyxl): claims, totals and sources.

Sheet "Claims": one row per staff member per month with every step of the working (days,
WTE, pay + on-costs, reimbursement %, MHP share, cap, claim, capped?, status, notes) and a
total row that leaves out rejected claims (they are listed, but not owed). Sheet "Sources":
every rule row used (key, value, unit, dates, verified, source).
Money cells hold exact pennies formatted as £; the cap is shown to the penny.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from openpcn.finance.claims import ClaimLine
from openpcn.finance.money import pennies

CLAIM_HEADERS = (
    "Month", "Staff id", "Role", "WTE", "Claimable WTE", "Days claimed", "Days in month",
    "Pay + on-costs (GBP)", "Reimbursement %", "MHP PCN share %", "Reimbursable (GBP)",
    "Max per WTE per year (GBP)", "Cap for the month (GBP)", "Claim (GBP)", "Capped",
    "Status", "Notes",
)  # fmt: skip
SOURCE_HEADERS = (
    "Year", "Key", "Value", "Unit", "Applies from", "Applies to", "Verified", "Source",
)  # fmt: skip
MONEY = '"£"#,##0.00'


def schedule_workbook(
    lines: Iterable[ClaimLine],
    statuses: Mapping[tuple[str, str], str] | None = None,
    title: str = "ARRS monthly claim schedule",
) -> Workbook:
    """A workbook of ``lines``; ``statuses`` maps (staff id, 'YYYY-MM') to a claim status."""
    lines = sorted(lines, key=lambda ln: (ln.month, ln.staff_id))
    statuses = statuses or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Claims"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(CLAIM_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for ln in lines:
        ws.append(
            [
                ln.month.strftime("%Y-%m"),
                ln.staff_id,
                ln.role,
                ln.wte,
                ln.claimable_wte,
                ln.days_claimed,
                ln.days_in_month,
                pennies(ln.cost),
                ln.reimbursement_pct,
                ln.mhp_pcn_pct,
                pennies(ln.reimbursable),
                ln.annual_max_per_wte,
                pennies(ln.cap),
                ln.claim,
                "yes" if ln.capped else "no",
                _status(statuses, ln),
                "; ".join(ln.notes),
            ]
        )
    total = sum((ln.claim for ln in lines if _status(statuses, ln) != "rejected"), Decimal("0.00"))
    ws.append(["Total (rejected claims not counted)"] + [None] * 12 + [total])
    ws.cell(ws.max_row, 1).font = Font(bold=True)
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):
        for idx in (8, 11, 12, 13, 14):
            row[idx - 1].number_format = MONEY
    src = wb.create_sheet("Sources")
    src.append(list(SOURCE_HEADERS))
    for cell in src[1]:
        cell.font = Font(bold=True)
    seen = {}
    for ln in lines:
        for r in ln.rules:
            seen[(r.year, r.key, r.applies_from)] = r
    for key in sorted(seen):
        r = seen[key]
        src.append(
            [
                r.year, r.key, str(r.value), r.unit, r.applies_from, r.applies_to,
                "yes" if r.verified else "NO (unverified)", r.source,
            ]
        )  # fmt: skip
    return wb


def _status(statuses: Mapping[tuple[str, str], str], ln: ClaimLine) -> str:
    return statuses.get((ln.staff_id, ln.month.strftime("%Y-%m")), "draft")


def schedule_xlsx(lines: Iterable[ClaimLine], path: str | Path | None = None, **kw) -> bytes:
    """The schedule as .xlsx bytes (also written to ``path`` when given)."""
    buf = io.BytesIO()
    schedule_workbook(lines, **kw).save(buf)
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
