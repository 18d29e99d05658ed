"""Plain-Python reference engine: one patient at a time, slow and obviously correct.

Each expression evaluates to ``(bool, evidence)`` where evidence is a list of
``(table, code, date, value)`` tuples that made it true; worklists use the evidence as the
reason a patient qualifies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .definitions import COMPARE, Definition, by_name, window


@dataclass
class PatientRecord:
    patient: dict
    events: list[tuple] = field(default_factory=list)  # (code, date, value)
    meds: list[tuple] = field(default_factory=list)  # (code, date)
    reviews: list[tuple] = field(default_factory=list)  # (code, date, kind)


def age_on(birth: date | None, index: date) -> int | None:
    if birth is None:
        return None
    return index.year - birth.year - ((index.month, index.day) < (birth.month, birth.day))


def records_from_tables(tables: dict) -> dict[int, PatientRecord]:
    """Group pyarrow tables (see :mod:`schema`) into one record per patient."""
    out: dict[int, PatientRecord] = {}
    for row in tables["patients"].to_pylist():
        out[row["patient_id"]] = PatientRecord(row)
    grouped = defaultdict(list)
    for row in tables["clinical_events"].to_pylist():
        grouped[row["patient_id"]].append((row["code"], row["date"], row["value"]))
    for pid, rows in grouped.items():
        if pid in out:
            out[pid].events = rows
    for row in tables["medication_issues"].to_pylist():
        if row["patient_id"] in out:
            out[row["patient_id"]].meds.append((row["code"], row["date"]))
    for row in tables["medication_reviews"].to_pylist():
        if row["patient_id"] in out:
            out[row["patient_id"]].reviews.append((row["code"], row["date"], row["kind"]))
    return out


def _in_window(d: date, node: dict, index: date) -> bool:
    lo, hi = window(node)
    if d is None or d > index - timedelta(days=hi):
        return False
    return lo is None or d >= index - timedelta(days=lo)


class Evaluator:
    def __init__(self, definition: Definition, index: date):
        self.d = definition
        self.index = index

    def score(self, rec: PatientRecord, ctx: dict) -> tuple[float, list]:
        total, ev = 0.0, []
        for cname, (expr, weight) in self.d.components.items():
            ok, e = self.eval(expr, rec, ctx)
            ctx[cname] = (ok, e)
            if ok:
                total += weight
                ev += e
        return round(total, 6), ev

    def eval(self, expr: dict, rec: PatientRecord, ctx: dict) -> tuple[bool, list]:
        ((op, arg),) = expr.items()
        idx = self.index
        if op == "and":
            ev = []
            for sub in arg:
                ok, e = self.eval(sub, rec, ctx)
                if not ok:
                    return False, []
                ev += e
            return True, ev
        if op == "or":
            ev, any_ok = [], False
            for sub in arg:
                ok, e = self.eval(sub, rec, ctx)
                if ok:
                    any_ok = True
                    ev += e
            return any_ok, ev
        if op == "not":
            ok, _ = self.eval(arg, rec, ctx)
            return (not ok), []
        if op == "age":
            age = age_on(rec.patient["birth_date"], idx)
            if age is None:
                return False, []
            ok = (age >= arg.get("min", 0)) and (age <= arg.get("max", 10**6))
            return ok, []
        if op == "sex":
            return rec.patient["sex"] == arg, []
        if op == "care_home":
            return bool(rec.patient["care_home"]) == bool(arg), []
        if op == "cohort":
            return ctx[arg]
        if op == "score_at_least":
            s, ev = ctx["__score__"]
            return (s >= arg - 1e-9), (ev if s >= arg - 1e-9 else [])
        if op == "cohort_of":
            other = Evaluator(by_name(arg["definition"]), idx)
            return other.run(rec)[arg["cohort"]]
        if op == "score_of":
            other = Evaluator(by_name(arg["definition"]), idx)
            res = other.run(rec)["score"]
            ok = res[0] is not None and res[0] >= arg["min"] - 1e-9
            return ok, (res[1] if ok else [])
        if op == "has_event":
            codes = self.d.codes[arg["list"]]
            hits = [
                ("event", c, d, v)
                for c, d, v in rec.events
                if c in codes and _in_window(d, arg, idx)
            ]
            return bool(hits), hits
        if op == "has_med":
            codes = self.d.codes[arg["list"]]
            hits = [
                ("med", c, d, None) for c, d in rec.meds if c in codes and _in_window(d, arg, idx)
            ]
            return len(hits) >= arg.get("min_issues", 1), hits
        if op == "count_distinct_meds":
            codes = self.d.codes[arg["list"]] if "list" in arg else None
            hits = [
                ("med", c, d, None)
                for c, d in rec.meds
                if (codes is None or c in codes) and _in_window(d, arg, idx)
            ]
            return len({h[1] for h in hits}) >= arg["min"], hits
        if op == "has_review":
            hits = [("review", c, d, None) for c, d, _k in rec.reviews if _in_window(d, arg, idx)]
            return bool(hits), hits
        if op == "latest_value":
            codes = self.d.codes[arg["list"]]
            rows = [
                (d, v, c)
                for c, d, v in rec.events
                if c in codes and v is not None and _in_window(d, arg, idx)
            ]
            if not rows:
                return False, []
            d, v, c = max(rows)
            ok = COMPARE[arg["op"]](v, arg["value"])
            return ok, ([("event", c, d, v)] if ok else [])
        if op == "latest_after":
            a = [(d, c) for c, d, _v in rec.events if c in self.d.codes[arg["list"]] and d <= idx]
            b = [d for c, d, _v in rec.events if c in self.d.codes[arg["other"]] and d <= idx]
            if not a:
                return False, []
            d, c = max(a)
            ok = not b or d > max(b)
            return ok, ([("event", c, d, None)] if ok else [])
        raise ValueError(f"unknown operator {op!r}")

    def run(self, rec: PatientRecord) -> dict:
        """Every column of the definition for one patient, as ``(value, evidence)``."""
        ctx: dict = {}
        pop, _ = self.eval(self.d.population, rec, ctx)
        out = {"in_population": (pop, [])}
        if self.d.components:
            s, ev = self.score(rec, ctx)
            ctx["__score__"] = (s, ev)
            for cname in self.d.components:
                out[f"c_{cname}"] = (ctx[cname][0] and pop, ctx[cname][1])
            out["score"] = (s if pop else None, ev)
            if self.d.categories:
                out["category"] = (self.d.category_for(s) if pop else None, ev)
        for cname, expr in self.d.cohorts.items():
            ok, ev = self.eval(expr, rec, ctx)
            ctx[cname] = (ok and pop, ev if ok and pop else [])
            out[cname] = ctx[cname]
        return out


def run_definition(defn: Definition, records: dict[int, PatientRecord], index: date) -> list[dict]:
    """Rows of ``patient_id, practice_code`` and every definition column, sorted by patient."""
    ev = Evaluator(defn, index)
    rows = []
    for pid in sorted(records):
        rec = records[pid]
        res = ev.run(rec)
        row = {"patient_id": pid, "practice_code": rec.patient["practice_code"]}
        row.update({k: v[0] for k, v in res.items()})
        rows.append(row)
    return rows
