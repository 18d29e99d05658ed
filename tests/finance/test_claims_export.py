"""The monthly claim schedule workbook: a row per claim, a total, a sources sheet."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from openpcn.finance.claims import MonthlyPay, StaffContract, claims_for_month
from openpcn.finance.claims_export import CLAIM_HEADERS, schedule_xlsx
from openpcn.rules import load_year


def test_schedule_workbook(tmp_path):
    rules = load_year("2024-25")
    staff = [
        StaffContract("S1", "clinical_pharmacist", Decimal(1), date(2024, 4, 1)),
        StaffContract("S2", "pharmacy_technician", Decimal("0.5"), date(2024, 10, 16)),
    ]
    pays = {"S1": MonthlyPay("6000", "700", "900"), "S2": MonthlyPay("1200", "90", "150")}
    lines = []
    for month in (date(2024, 9, 1), date(2024, 10, 1)):
        lines += claims_for_month(staff, pays, month, rules)
    path = tmp_path / "schedule.xlsx"
    data = schedule_xlsx(lines, path, statuses={("S1", "2024-09"): "approved"})
    assert path.read_bytes() == data
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Claims", "Sources"]
    ws = wb["Claims"]
    assert [c.value for c in ws[2]] == list(CLAIM_HEADERS)
    body = list(ws.iter_rows(min_row=3, values_only=True))
    claims, total = body[:-1], body[-1]
    assert [(r[0], r[1]) for r in claims] == [("2024-09", "S1"), ("2024-10", "S1"),
                                              ("2024-10", "S2")]  # fmt: skip
    assert claims[0][15] == "approved" and claims[1][15] == "draft"
    assert Decimal(str(total[13])) == sum(ln.claim for ln in lines) == Decimal("11594.12")
    # 62340/12 + 65838/12 + 42437 x 0.5 x 16/(12 x 31) = 5195.00 + 5486.50 + 912.62
    keys = {r[1] for r in wb["Sources"].iter_rows(min_row=2, values_only=True)}
    assert "arrs_max_reimbursement.clinical_pharmacist" in keys
    assert "arrs_reimbursement_pct.all_roles" in keys
    assert "NO (unverified)" in {r[6] for r in wb["Sources"].iter_rows(min_row=2, values_only=True)}


def test_schedule_total_leaves_out_rejected_claims():
    rules = load_year("2024-25")
    staff = [
        StaffContract("S1", "clinical_pharmacist", Decimal(1), date(2024, 4, 1)),
        StaffContract("S2", "pharmacy_technician", Decimal(1), date(2024, 4, 1)),
    ]
    pays = {"S1": MonthlyPay("3000"), "S2": MonthlyPay("2000")}
    lines = claims_for_month(staff, pays, date(2024, 10, 1), rules)
    statuses = {("S1", "2024-10"): "approved", ("S2", "2024-10"): "rejected"}
    wb = load_workbook(io.BytesIO(schedule_xlsx(lines, statuses=statuses)))
    body = list(wb["Claims"].iter_rows(min_row=3, values_only=True))
    total = body[-1]
    assert "rejected" in total[0].lower()
    assert Decimal(str(total[13])) == Decimal("3000.00")
