"""Ibis engine: compiles every definition to one query per definition.

The same compiled expression runs on DuckDB (default) or PySpark; the semantics mirror
:mod:`reference` exactly (every leaf is null-safe: missing data is ``False``).
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from .definitions import Definition, by_name, window
from .schema import TABLES


class IbisTables:
    """The four tables of a dataset on one Ibis backend, plus the index date."""

    def __init__(self, con, tables: dict[str, ir.Table], index: date):
        self.con = con
        self.t = tables
        self.index = index
        p = tables["patients"]
        b = p.birth_date
        md = index.month * 100 + index.day
        age = index.year - b.year() - ((b.month() * 100 + b.day()) > md).cast("int64")
        self.p = p.mutate(age=age)
        self.results: dict[str, ir.Table] = {}
        self._n = 0
        self.session = None

    def register(self, name: str, table: pa.Table) -> ir.Table:
        """A small Arrow table (code lists) as a backend table."""
        if self.con.name != "duckdb":
            self.session.createDataFrame(table.to_pandas()).createOrReplaceTempView(name)
            return self.con.table(name)
        self.con.con.register(f"{name}_arrow", table)
        self.con.raw_sql(f"create or replace temp table {name} as select * from {name}_arrow")  # noqa: S608
        return self.con.table(name)

    def materialise(self, expr: ir.Table) -> ir.Table:
        """Compute an intermediate table once (temp table on DuckDB, cached DataFrame on Spark)."""
        if self.con.name != "duckdb":
            return expr.cache()
        self._n += 1
        name = f"_step_{self._n}"
        self.con.raw_sql(f"create or replace temp table {name} as {self.con.compile(expr)}")
        return self.con.table(name)

    def result(self, defn: Definition) -> ir.Table:
        """The (cached) result table of a definition on these tables."""
        if defn.name not in self.results:
            self.results[defn.name] = self.materialise(Compiler(defn, self).table())
        return self.results[defn.name]


def duckdb_tables(dataset_path, index: date, threads: int | None = None) -> IbisTables:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    con.raw_sql("set enable_progress_bar=false")
    tables = {}
    for name in TABLES:
        path = str(dataset_path / f"{name}.parquet")
        con.raw_sql(
            f"create table {name} as select * from read_parquet('{path.replace(chr(39), '')}')"  # noqa: S608
        )
        tables[name] = con.table(name)
    return IbisTables(con, tables, index)


def spark_tables(dataset_path, index: date, session) -> IbisTables:
    con = ibis.pyspark.connect(session)
    tables = {
        name: con.read_parquet(str(dataset_path / f"{name}.parquet"), table_name=name)
        for name in TABLES
    }
    tabs = IbisTables(con, tables, index)
    tabs.session = session
    return tabs


class Compiler:
    def __init__(self, defn: Definition, tabs: IbisTables):
        self.d = defn
        self.tabs = tabs
        self.p = tabs.p
        self.ctx: dict[str, ir.BooleanValue] = {}
        key = f"codes_{defn.name}"
        if key not in tabs.t:
            rows = {"list": [], "code": []}
            for lname, codes in sorted(defn.codes.items()):
                rows["list"] += [lname] * len(codes)
                rows["code"] += sorted(codes)
            tabs.t[key] = tabs.register(key, pa.table(rows))
        self.codes_t = tabs.t[key]
        # one pass per table: the events / issues whose code is in any of this definition's lists
        for table, alias, cols in (
            ("clinical_events", "hits_e", ["patient_id", "code", "date", "value", "list"]),
            ("medication_issues", "hits_m", ["patient_id", "code", "date", "list"]),
        ):
            hkey = f"{alias}_{defn.name}"
            if hkey not in tabs.t:
                joined = tabs.t[table].join(self.codes_t, "code").select(*cols)
                tabs.t[hkey] = tabs.materialise(joined)
        self.hits_e = tabs.t[f"hits_e_{defn.name}"]
        self.hits_m = tabs.t[f"hits_m_{defn.name}"]

    def _win(self, t: ir.Table, node: dict) -> ir.BooleanValue:
        lo, hi = window(node)
        idx = self.tabs.index
        cond = t.date <= ibis.literal(idx - timedelta(days=hi))
        if lo is not None:
            cond = cond & (t.date >= ibis.literal(idx - timedelta(days=lo)))
        return cond

    def _codes(self, t: ir.Table, name: str) -> ir.BooleanValue:
        return t.list == name

    def _member(self, ids: ir.Table) -> ir.BooleanValue:
        return self.p.patient_id.isin(ids.patient_id)

    def compile(self, expr: dict) -> ir.BooleanValue:
        ((op, arg),) = expr.items()
        if op == "and":
            out = self.compile(arg[0])
            for sub in arg[1:]:
                out = out & self.compile(sub)
            return out
        if op == "or":
            out = self.compile(arg[0])
            for sub in arg[1:]:
                out = out | self.compile(sub)
            return out
        if op == "not":
            return ~self.compile(arg)
        if op == "cohort":
            return self.ctx[arg]
        return self._leaf(op, arg).fill_null(False)

    def _leaf(self, op: str, arg) -> ir.BooleanValue:
        p, t = self.p, self.tabs.t
        if op == "age":
            return (p.age >= arg.get("min", 0)) & (p.age <= arg.get("max", 10**6))
        if op == "sex":
            return p.sex == arg
        if op == "care_home":
            return p.care_home.fill_null(False) == bool(arg)
        if op == "score_at_least":
            return self.ctx["__score__"] >= arg - 1e-9
        if op == "cohort_of":
            res = self.tabs.result(by_name(arg["definition"]))
            return self._member(res.filter(res[arg["cohort"]]))
        if op == "score_of":
            res = self.tabs.result(by_name(arg["definition"]))
            return self._member(res.filter(res.score >= arg["min"] - 1e-9))
        if op == "has_event":
            e = self.hits_e
            return self._member(e.filter(self._codes(e, arg["list"]), self._win(e, arg)))
        if op == "has_med":
            m = self.hits_m
            sub = m.filter(self._codes(m, arg["list"]), self._win(m, arg))
            n = arg.get("min_issues", 1)
            if n > 1:
                sub = sub.group_by("patient_id").agg(n=sub.count()).filter(lambda s: s.n >= n)
            return self._member(sub)
        if op == "count_distinct_meds":
            m = self.hits_m if "list" in arg else t["medication_issues"]
            conds = [self._win(m, arg)] + ([self._codes(m, arg["list"])] if "list" in arg else [])
            sub = m.filter(*conds)
            sub = sub.group_by("patient_id").agg(n=sub.code.nunique())
            return self._member(sub.filter(sub.n >= arg["min"]))
        if op == "has_review":
            r = t["medication_reviews"]
            return self._member(r.filter(self._win(r, arg)))
        if op == "latest_value":
            e = self.hits_e
            sub = e.filter(self._codes(e, arg["list"]), e.value.notnull(), self._win(e, arg))
            last = sub.group_by("patient_id").agg(d=sub.date.max())
            j = sub.join(last, [sub.patient_id == last.patient_id, sub.date == last.d])
            v = j.group_by("patient_id").agg(v=j.value.max())
            ops = {
                "<": v.v < arg["value"],
                "<=": v.v <= arg["value"],
                ">": v.v > arg["value"],
                ">=": v.v >= arg["value"],
                "==": v.v == arg["value"],
                "!=": v.v != arg["value"],
            }
            return self._member(v.filter(ops[arg["op"]]))
        if op == "latest_after":
            e = self.hits_e
            idx = ibis.literal(self.tabs.index)
            a = e.filter(self._codes(e, arg["list"]), e.date <= idx)
            a = a.group_by("patient_id").agg(da=a.date.max())
            b = e.filter(self._codes(e, arg["other"]), e.date <= idx)
            b = b.group_by("patient_id").agg(db=b.date.max())
            j = a.left_join(b, a.patient_id == b.patient_id)
            return self._member(j.filter(j.db.isnull() | (j.da > j.db)))
        raise ValueError(f"unknown operator {op!r}")

    def table(self) -> ir.Table:
        """Population, components, score, category and cohorts, materialised step by step."""
        p = self.p
        cols: dict[str, ir.Value] = {"in_population": self.compile(self.d.population)}
        for cname, (expr, _w) in self.d.components.items():
            cols[f"c_{cname}"] = self.compile(expr)
        t = self.tabs.materialise(p.mutate(**cols))
        if self.d.components:
            total = ibis.literal(0.0)
            for cname, (_e, weight) in self.d.components.items():
                total = total + ibis.ifelse(t[f"c_{cname}"], weight, 0.0)
            t = self.tabs.materialise(t.mutate(score=total))
            pop = t.in_population
            extra = {f"c_{c}": t[f"c_{c}"] & pop for c in self.d.components}
            extra["score"] = ibis.ifelse(pop, t.score, ibis.null("float64"))
            if self.d.categories:
                cases = [(t.score >= c.min - 1e-9, c.name) for c in reversed(self.d.categories)]
                cat = ibis.cases(*cases, else_=self.d.categories[0].name)
                extra["category"] = ibis.ifelse(pop, cat, ibis.null("string"))
            self.ctx["__score__"] = t.score
            t = t.mutate(**extra)
        for cname, expr in self.d.cohorts.items():
            self.p = t  # leaves now refer to the materialised table
            for name in self.d.components:
                self.ctx[name] = t[f"c_{name}"]
            for name in self.d.cohorts:
                if name in self.ctx:
                    self.ctx[name] = t[name]
            if "__score__" in self.ctx:
                self.ctx["__score__"] = t.score
            t = self.tabs.materialise(t.mutate(**{cname: self.compile(expr) & t.in_population}))
            self.ctx[cname] = t[cname]
        return t.select("patient_id", "practice_code", *self.d.columns)


def run_definition(defn: Definition, tabs: IbisTables) -> pa.Table:
    return tabs.con.to_pyarrow(tabs.result(defn).order_by("patient_id"))
