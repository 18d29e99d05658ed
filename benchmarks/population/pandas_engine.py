"""A straightforward pandas implementation of the definitions, for the side-by-side benchmark.

What an analyst would write in a notebook: load the four tables into DataFrames, then for each
leaf of a definition filter the events or medicines by code list and date window, take the
patients found (``isin``; ``groupby`` for counts, distinct medicines and latest values), and
combine the resulting boolean Series with ``&``, ``|`` and ``~``. Like the engine, it keeps
data rows to the population first when the population depends on age, sex or care home only.
It computes every column of the definition (not a subset), so the comparison is like for like.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from openpcn.population.definitions import (
    COMPARE,
    STATIC_LEAVES,
    Definition,
    by_name,
    leaves,
    window,
)


def load(ds: Path, index: date) -> dict[str, pd.DataFrame]:
    cols = ["patient_id", "practice_code", "birth_date", "sex", "care_home"]
    p = pd.read_parquet(ds / "patients.parquet", columns=cols)
    b = pd.to_datetime(p.birth_date)
    p["age"] = (
        index.year - b.dt.year - ((b.dt.month * 100 + b.dt.day) > index.month * 100 + index.day)
    )
    tables = {"patients": p.set_index("patient_id", drop=False)}
    for name, cols in (
        ("clinical_events", ["patient_id", "code", "date", "value"]),
        ("medication_issues", ["patient_id", "code", "date"]),
        ("medication_reviews", ["patient_id", "date"]),
    ):
        t = pd.read_parquet(ds / f"{name}.parquet", columns=cols)
        t["date"] = pd.to_datetime(t["date"])
        tables[name] = t
    return tables


class PandasRun:
    def __init__(self, tables: dict[str, pd.DataFrame], index: date):
        self.t = tables
        self.index = pd.Timestamp(index)
        self.done: dict[str, pd.DataFrame] = {}

    def run(self, d: Definition) -> pd.DataFrame:
        if d.name in self.done:
            return self.done[d.name]
        p = self.t["patients"]
        ctx: dict[str, pd.Series] = {}
        pop = self.eval(d, d.population, p, self.t, ctx)
        data = self.t
        if all(op in STATIC_LEAVES for op, _a in leaves(d.population)):
            keep = p.patient_id[pop]
            data = {
                k: (v[v.patient_id.isin(keep)] if k != "patients" else v) for k, v in data.items()
            }
        out = pd.DataFrame({"patient_id": p.patient_id, "practice_code": p.practice_code,
                            "in_population": pop})  # fmt: skip
        if d.components:
            score = pd.Series(0.0, index=p.index)
            for cname, (expr, weight) in d.components.items():
                ctx[cname] = self.eval(d, expr, p, data, ctx)
                out[f"c_{cname}"] = ctx[cname] & pop
                score += ctx[cname] * weight
            ctx["__score__"] = score
            out["score"] = score.where(pop)
            if d.categories:
                out["category"] = score.map(d.category_for).where(pop)
        for cname, expr in d.cohorts.items():
            ctx[cname] = self.eval(d, expr, p, data, ctx) & pop
            out[cname] = ctx[cname]
        self.done[d.name] = out
        return out

    def _win(self, dates: pd.Series, node: dict) -> pd.Series:
        lo, hi = window(node)
        ok = dates <= self.index - timedelta(days=hi)
        if lo is not None:
            ok &= dates >= self.index - timedelta(days=lo)
        return ok

    def eval(self, d: Definition, expr: dict, p, data, ctx) -> pd.Series:
        ((op, arg),) = expr.items()
        if op in ("and", "or"):
            parts = [self.eval(d, sub, p, data, ctx) for sub in arg]
            out = parts[0]
            for part in parts[1:]:
                out = (out & part) if op == "and" else (out | part)
            return out
        if op == "not":
            return ~self.eval(d, arg, p, data, ctx)
        if op == "cohort":
            return ctx[arg]
        if op == "age":
            return (p.age >= arg.get("min", 0)) & (p.age <= arg.get("max", 10**6))
        if op == "sex":
            return p.sex == arg
        if op == "care_home":
            return p.care_home.fillna(False).astype(bool) == bool(arg)
        if op == "score_at_least":
            return ctx["__score__"] >= arg - 1e-9
        if op in ("cohort_of", "score_of"):
            res = self.run(by_name(arg["definition"])).set_index("patient_id")
            hit = res[arg["cohort"]] if op == "cohort_of" else res.score >= arg["min"] - 1e-9
            return p.patient_id.isin(res.index[hit.fillna(False).astype(bool)])
        e, m, r = data["clinical_events"], data["medication_issues"], data["medication_reviews"]
        if op == "has_event":
            ids = e.patient_id[e.code.isin(d.codes[arg["list"]]) & self._win(e.date, arg)]
        elif op == "has_med":
            hits = m[m.code.isin(d.codes[arg["list"]]) & self._win(m.date, arg)]
            n = hits.groupby("patient_id").size()
            ids = n.index[n >= arg.get("min_issues", 1)]
        elif op == "count_distinct_meds":
            sel = self._win(m.date, arg)
            if "list" in arg:
                sel &= m.code.isin(d.codes[arg["list"]])
            n = m[sel].groupby("patient_id").code.nunique()
            ids = n.index[n >= arg["min"]]
        elif op == "has_review":
            ids = r.patient_id[self._win(r.date, arg)]
        elif op == "latest_value":
            sel = e.code.isin(d.codes[arg["list"]]) & e.value.notna() & self._win(e.date, arg)
            last = e[sel].sort_values(["date", "value"]).groupby("patient_id").value.last()
            ids = last.index[COMPARE[arg["op"]](last, arg["value"])]
        elif op == "latest_after":
            upto = e[e.date <= self.index]
            a = upto[upto.code.isin(d.codes[arg["list"]])].groupby("patient_id").date.max()
            b = upto[upto.code.isin(d.codes[arg["other"]])].groupby("patient_id").date.max()
            b = b.reindex(a.index)
            ids = a.index[b.isna() | (a > b)]
        else:
            raise ValueError(f"unknown operator {op!r}")
        return p.patient_id.isin(ids)


def run(ds: Path, index: date, names: list[str]) -> dict[str, pd.DataFrame]:
    """Load the dataset and run the named definitions; timing includes loading, as the
    engine's does."""
    runner = PandasRun(load(ds, index), index)
    return {n: runner.run(by_name(n)) for n in names}
