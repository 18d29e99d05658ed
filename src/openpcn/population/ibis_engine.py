"""Ibis engine: the dataset's tables on DuckDB (default) or PySpark, and running definitions.

Each definition compiles to one query (:mod:`ibis_compiler`); its result is computed once
per run (a temp table on DuckDB, a cached DataFrame on Spark) because other definitions may
refer to it (``cohort_of``, ``score_of``).
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from .definitions import Definition
from .ibis_compiler import Compiler
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
        self.results: dict[str, ir.Table] = {}
        self.arrow: dict[str, pa.Table] = {}
        self._n = 0
        self.session = None
        # the patient columns definitions read, with age on the index date, computed once
        self.p = self.materialise(
            p.select("patient_id", "practice_code", "sex", "care_home", age=age)
        )

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

    def count(self, expr: ir.Table) -> int:
        return int(self.con.execute(expr.count()))

    def result(self, defn: Definition) -> ir.Table:
        """A definition's result as a backend table, for definitions that refer to it: from
        its Arrow result if it was run already, else computed once."""
        if defn.name not in self.results:
            if defn.name in self.arrow:
                self.results[defn.name] = self.register(f"_res_{defn.name}", self.arrow[defn.name])
            else:
                self.results[defn.name] = self.materialise(Compiler(defn, self).table())
        return self.results[defn.name]

    def run(self, defn: Definition) -> pa.Table:
        """A definition's result as Arrow, sorted by patient: one query, nothing stored."""
        if defn.name not in self.arrow:
            query = self.results.get(defn.name)
            if query is None:
                query = Compiler(defn, self).table()
            self.arrow[defn.name] = self.con.to_pyarrow(query.order_by("patient_id"))
        return self.arrow[defn.name]


def duckdb_tables(dataset_path, index: date, threads: int | None = None) -> IbisTables:
    con = ibis.duckdb.connect(threads=threads) if threads else ibis.duckdb.connect()
    con.raw_sql("set enable_progress_bar=false")
    tables = {}
    for name in TABLES:
        # views: each definition reads only the columns and row groups it needs
        path = str(dataset_path / f"{name}.parquet").replace("'", "''")
        con.raw_sql(f"create view {name} as select * from read_parquet('{path}')")  # noqa: S608
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


def run_definition(defn: Definition, tabs: IbisTables) -> pa.Table:
    return tabs.run(defn)
