"""Outputs: worklists with reasons, risk pyramid, rates with Wilson 95% CIs, disclosure control,
CSV / Excel export.

Disclosure control (applied to every aggregate shown to a role without patient access):
counts 1-7 are suppressed (``None``), every other count is rounded to the nearest 5; rates are
computed from the unrounded counts but suppressed when either count is suppressed.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from datetime import date
from pathlib import Path

import pyarrow as pa

from openpcn.population.words import group_words

from . import reference
from .definitions import by_name
from .schema import TABLES, load_dataset

AGE_BANDS = [(0, 17), (18, 39), (40, 64), (65, 74), (75, 84), (85, 200)]


def suppress(count: int) -> int | None:
    """Small-number suppression: 1-7 -> None; otherwise round to the nearest 5 (half up)."""
    if count < 0:
        raise ValueError("counts are never negative")
    if 1 <= count <= 7:
        return None
    return int(math.floor(count / 5 + 0.5) * 5)


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float, float]:
    """Proportion and Wilson score 95% interval for k of n."""
    if n <= 0:
        return (float("nan"),) * 3
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return p, max(0.0, centre - half), min(1.0, centre + half)


def age_band(age: int | None) -> str:
    if age is None:
        return "unknown"
    for lo, hi in AGE_BANDS:
        if lo <= age <= hi:
            return f"{lo}+" if hi >= 200 else f"{lo}-{hi}"
    return "unknown"


def imd_quintile(decile: int | None) -> str:
    return "unknown" if decile is None else str((int(decile) + 1) // 2)


def rates(
    result: pa.Table,
    patients: pa.Table,
    cohort: str,
    index: date,
    by: str = "age_band",
    disclose: bool = True,
) -> list[dict]:
    """Cohort rate among the definition's population by age_band|sex|imd_quintile|ethnicity."""
    pats = {r["patient_id"]: r for r in patients.to_pylist()}
    num: dict[str, int] = defaultdict(int)
    den: dict[str, int] = defaultdict(int)
    for row in result.select(["patient_id", "in_population", cohort]).to_pylist():
        if not row["in_population"]:
            continue
        p = pats[row["patient_id"]]
        key = {
            "age_band": lambda: age_band(reference.age_on(p["birth_date"], index)),  # noqa: B023
            "sex": lambda: p["sex"] or "unknown",  # noqa: B023
            "imd_quintile": lambda: imd_quintile(p["imd_decile"]),  # noqa: B023
            "ethnicity": lambda: p["ethnicity"] or "unknown",  # noqa: B023
        }[by]()
        den[key] += 1
        num[key] += bool(row[cohort])
    out = []
    for key in sorted(den):
        k, n = num[key], den[key]
        rate, lo, hi = wilson(k, n)
        row = {
            "group": key,
            "label": group_words(by, str(key)),
            "count": k,
            "population": n,
            "rate": rate,
            "ci_low": lo,
            "ci_high": hi,
        }
        if disclose:
            row["count"], row["population"] = suppress(k), suppress(n)
            if row["count"] is None or row["population"] is None:
                row.update(rate=None, ci_low=None, ci_high=None)
        out.append(row)
    return out


def risk_pyramid(efi_result: pa.Table, disclose: bool = True) -> list[dict]:
    """eFI category counts, severest first (the population is the definition's, 65+)."""
    counts: dict[str, int] = defaultdict(int)
    for cat in efi_result["category"].to_pylist():
        if cat is not None:
            counts[cat] += 1
    order = [c.name for c in reversed(by_name("efi").categories)]
    return [{"level": c, "count": suppress(counts[c]) if disclose else counts[c]} for c in order]


def worklist(
    dataset,
    result: pa.Table,
    definition: str,
    cohort: str,
    practice: str,
    index: date | None = None,
) -> list[dict]:
    """Patients of one practice in a cohort, each with the codes and dates that qualify them.

    Rows: ``patient_id, nhs_number, birth_date, sex, practice_code, cohort, reasons`` where
    reasons is a list of ``{"table", "code", "date", "value"}`` (for patient-access roles only).
    """
    ds = load_dataset(dataset)
    index = index or date.fromisoformat(ds.metadata["index_date"])
    ids = [
        r["patient_id"]
        for r in result.select(["patient_id", "practice_code", cohort]).to_pylist()
        if r[cohort] and r["practice_code"] == practice
    ]
    if not ids:
        return []
    id_list = ",".join(str(int(i)) for i in ids)
    tables = {
        t: ds.con.sql(f"select * from {t} where patient_id in ({id_list})").to_arrow_table()  # noqa: S608
        for t in TABLES
    }
    records = reference.records_from_tables(tables)
    ev = reference.Evaluator(by_name(definition), index)
    rows = []
    for pid in ids:
        rec = records[pid]
        res = ev.run(rec)
        reasons = sorted(
            {(t, c, d, v) for t, c, d, v in res[cohort][1]}, key=lambda x: (x[2] or date.min, x[1])
        )
        rows.append(
            {
                "patient_id": pid,
                "nhs_number": rec.patient["nhs_number"],
                "birth_date": rec.patient["birth_date"],
                "sex": rec.patient["sex"],
                "practice_code": practice,
                "cohort": f"{definition}.{cohort}",
                "reasons": [
                    {"table": t, "code": c, "date": d, "value": v} for t, c, d, v in reasons
                ],
            }
        )
    return rows


def _flat(rows: list[dict]) -> list[dict]:
    flat = []
    for r in rows:
        r = dict(r)
        if "reasons" in r:
            r["reasons"] = "; ".join(
                f"{x['code']} {x['date']}" + (f" = {x['value']}" if x["value"] is not None else "")
                for x in r["reasons"]
            )
        flat.append(r)
    return flat


def to_csv(rows: list[dict]) -> str:
    rows = _flat(rows)
    if not rows:
        return ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def to_excel(
    rows: list[dict], path: Path, title: str = "worklist", synthetic: bool = False
) -> Path:
    from openpyxl import Workbook

    rows = _flat(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    if synthetic:
        ws.append(["SYNTHETIC DATA - not real patients"])
    if rows:
        ws.append(list(rows[0]))
        for r in rows:
            ws.append([v if not isinstance(v, (list, dict)) else str(v) for v in r.values()])
    wb.save(path)
    return Path(path)
