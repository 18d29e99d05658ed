"""A scenario's effects as an Excel workbook (openpyxl), every figure beside its baseline.

PCN scenario (:func:`workbook`): sheet "Effects" (effect, item, baseline, scenario,
difference), then "Changes" and "Notes" (the engines' notes and messages: where each figure
comes from and what could not be worked out). ICB scenario (:func:`icb_workbook`): sheet "ICB
totals" with a "How" column explaining each total, one sheet per PCN a change touches (as
"Effects"), then "Changes" and "Notes". Money cells hold exact pennies formatted as £.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from openpcn.scenarios.effects import NOT_MONEY, Result, Row
from openpcn.scenarios.icb import IcbResult

MONEY = '"£"#,##0.00'
HEADERS = ["Effect", "Item", "Baseline", "Scenario", "Difference"]


def _cell(value):
    return "" if value is None else value


def _rows(ws, rows: list[Row], how: dict[str, str] | None = None) -> None:
    ws.append(HEADERS + (["How"] if how is not None else []))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for r in rows:
        line = [r.effect, r.item, _cell(r.baseline), _cell(r.scenario), _cell(r.difference)]
        ws.append(line + ([how.get(r.effect, "")] if how is not None else []))
        if not r.effect.startswith(NOT_MONEY) and r.effect != "Size bands":
            for col in (3, 4, 5):
                if isinstance(ws.cell(ws.max_row, col).value, Decimal):
                    ws.cell(ws.max_row, col).number_format = MONEY
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 40
    for col in "CDE":
        ws.column_dimensions[col].width = 16
    if how is not None:
        ws.column_dimensions["F"].width = 100


def _changes(wb: Workbook, changes) -> None:
    ws = wb.create_sheet("Changes")
    ws.append(["#", "Change", "Kind"])
    for i, c in enumerate(changes, 1):
        ws.append([i, c.describe(), c.kind])
    ws.column_dimensions["B"].width = 70


def _notes(wb: Workbook, lines: list[tuple[str, str]]) -> None:
    ws = wb.create_sheet("Notes")
    ws.append(["Where", "Note"])
    for where, text in lines:
        ws.append([where, text])
    ws.column_dimensions["B"].width = 120


def _sources(result: Result, where: str) -> list[tuple[str, str]]:
    s = result.scenario.inputs
    membership = s.membership_source or "the registry"
    out = [(where, f"{s.year} rules; populations from {s.population_source} (as of"
                   f" {s.population_as_of}); membership: {membership}")]  # fmt: skip
    out += [(where, n) for n in s.notes]
    out += [(f"{where} baseline", m) for m in result.baseline.messages]
    out += [(f"{where} scenario", m) for m in result.scenario.messages]
    return out


def save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook(result: Result, title: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Effects"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    _rows(ws, list(result.rows))
    _changes(wb, result.changes)
    _notes(wb, _sources(result, result.scenario.inputs.pcn_code))
    return wb


def icb_workbook(result: IcbResult, title: str) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "ICB totals"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    _rows(ws, list(result.rows), dict(result.explanations))
    notes: list[tuple[str, str]] = []
    for code, r in result.pcns.items():
        sheet = wb.create_sheet(code[:31])
        name = result.inputs.names.get(code, "")
        sheet.append([f"{name} ({code})" if name else code])
        sheet["A1"].font = Font(bold=True)
        _rows(sheet, list(r.rows))
        notes += _sources(r, code)
    if result.unaffected:
        notes.append(("ICB", "No change touches " + ", ".join(result.unaffected)
                      + ": their baseline counts on both sides of the totals"))  # fmt: skip
    _changes(wb, result.changes)
    _notes(wb, notes)
    return wb


__all__ = ["icb_workbook", "save", "workbook"]
