"""A role cost breakdown as an Excel workbook (openpyxl): the cost and a sources sheet.

Sheet "Cost": the inputs, a year per WTE line by line (amount, how it was worked out,
verified), the period at the WTE, and the comparison with the ARRS maximum, then any gaps and
notes. Sheet "Sources": every figure used (rule or pay file row): year, key, value, unit, file
and line, applies from, verified, source.  Money cells hold exact pennies formatted as £.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from openpcn.finance.role_cost import LINE_LABELS, LINES, REGION_NAMES, RoleCost

MONEY = '"£"#,##0.00'
SOURCE_HEADERS = (
    "Year", "Key", "Value", "Unit", "File and line", "Applies from", "Verified", "Source",
)  # fmt: skip


def role_cost_workbook(c: RoleCost) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Cost"
    ws.append([f"Cost of a post: {c.role_name}, {c.year}"])
    ws["A1"].font = Font(bold=True)
    for label, value in (
        ("Role", f"{c.role_name} ({c.role})"),
        ("Pay", c.pay_description),
        ("Region", REGION_NAMES[c.region]),
        ("WTE", c.wte),
        ("Period", f"{c.months} months, {c.start.isoformat()} to {c.end.isoformat()}"),
        ("All figures verified", "yes" if c.verified else "no"),
    ):
        ws.append([label, value])
    ws.append([])
    ws.append(["A year per WTE at the rates on the start date", "Amount (GBP)", "How", "Verified"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for name in (*LINES, "total"):
        f = c.annual[name]
        ws.append([LINE_LABELS[name], f.value, f.method, "yes" if f.verified else "no"])
        ws.cell(ws.max_row, 2).number_format = MONEY
    ws.append([])
    ws.append([f"{c.months} months at {c.wte} WTE", "Amount (GBP)", "How", "Verified"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    rows = [c.period[n] for n in (*LINES, "total")]
    rows += [f for f in (c.maximum_annual, c.maximum, c.reimbursable, c.top_up) if f is not None]
    for f in rows:
        label = LINE_LABELS.get(next((n for n, v in c.period.items() if v is f), ""), f.label)
        ws.append([label, f.value, f.method, "yes" if f.verified else "no"])
        ws.cell(ws.max_row, 2).number_format = MONEY
    for gap in c.gaps:
        ws.append(["Gap", gap])
    for note in c.notes:
        ws.append(["Note", note])
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 110

    src = wb.create_sheet("Sources")
    src.append(list(SOURCE_HEADERS))
    for cell in src[1]:
        cell.font = Font(bold=True)
    for s in c.sources():
        src.append(
            [
                s["year"],
                s["key"],
                s["value"],
                s["unit"],
                s["where"],
                s["applies_from"].isoformat() if s["applies_from"] else "",
                "yes" if s["verified"] else "no",
                s["source"],
            ]
        )
    src.column_dimensions["B"].width = 48
    src.column_dimensions["E"].width = 28
    src.column_dimensions["H"].width = 120
    return wb


def role_cost_xlsx(c: RoleCost) -> bytes:
    buffer = io.BytesIO()
    role_cost_workbook(c).save(buffer)
    return buffer.getvalue()
