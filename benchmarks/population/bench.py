"""Benchmark: generate N synthetic patients, run every definition on DuckDB, and time a
straightforward pandas implementation of eFI and PINCER indicator A side by side.

Usage: OPENPCN_DATA=../shared/data/raw .venv/bin/python benchmarks/population/bench.py 100000 [runs]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from openpcn.population import engines, generator, sources
from openpcn.population.codelists import read_codelist
from openpcn.population.definitions import by_name


def pandas_efi_pincer_a(ds: Path, index: date) -> tuple[pd.Series, pd.Series]:
    """Plain pandas: eFI deficit count (65+) and PINCER A (65+, NSAID, no PPI, 3 months)."""
    p = pd.read_parquet(ds / "patients.parquet")
    e = pd.read_parquet(ds / "clinical_events.parquet")
    m = pd.read_parquet(ds / "medication_issues.parquet")
    idx = pd.Timestamp(index)
    b = pd.to_datetime(p.birth_date)
    age = idx.year - b.dt.year - ((b.dt.month * 100 + b.dt.day) > idx.month * 100 + idx.day)
    old = p.patient_id[age >= 65]
    e = e[e.patient_id.isin(old)]
    m = m[m.patient_id.isin(old)]
    m_date = pd.to_datetime(m.date)
    efi = by_name("efi")
    score = pd.Series(0, index=old.values)
    for expr, _w in efi.components.values():
        if "has_event" in expr:
            codes = efi.codes[expr["has_event"]["list"]]
            ids = e.loc[e.code.isin(codes) & (pd.to_datetime(e.date) <= idx), "patient_id"].unique()
        else:
            recent = m[(m_date > idx - timedelta(days=366)) & (m_date <= idx)]
            n = recent.groupby("patient_id").code.nunique()
            ids = n[n >= 5].index
        score.loc[score.index.isin(ids)] += 1
    recent = m[(m_date >= idx - timedelta(days=91)) & (m_date <= idx)]
    nsaid = set(recent.patient_id[recent.code.isin(read_codelist("pincer/nsaid"))])
    ppi = set(recent.patient_id[recent.code.isin(read_codelist("pincer/ppi"))])
    a = pd.Series(old.isin(nsaid - ppi).values, index=old.values)
    return score, a


def main(n: int, runs: int = 3) -> None:
    per_practice = 9000
    k = max(1, round(n / per_practice))
    practices = sources.select_practices(n=k, seed=42)
    total = sum(sum(sources.practice_age_sex()[p].values()) for p in practices)
    scale = n / total
    with tempfile.TemporaryDirectory() as tmp:
        ds = Path(tmp) / "ds"
        t0 = time.perf_counter()
        meta = generator.generate_dataset(ds, practices, seed=42, scale=scale)
        gen_s = time.perf_counter() - t0
        index = date.fromisoformat(meta["index_date"])
        duck, pand, efi_pincer = [], [], []
        for _ in range(runs):
            res, s = engines.timed_run(ds, "duckdb", threads=2)
            duck.append(s)
            t0 = time.perf_counter()
            engines.run_definitions(ds, "duckdb", names=["efi", "pincer"], threads=2)
            efi_pincer.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            score, a = pandas_efi_pincer_a(ds, index)
            pand.append(time.perf_counter() - t0)
        efi = res["efi"].to_pandas().set_index("patient_id")
        assert (efi.loc[score.index, "score"].astype(int).values == score.values).all()
        pa_ = res["pincer"].to_pandas().set_index("patient_id").loc[a.index, "a"]
        assert (pa_.values == a.values).all()
        print(f"patients={meta['patients']} practices={len(practices)} generate_s={gen_s:.1f}")
        print(f"duckdb_all_definitions_s median={statistics.median(duck):.1f} runs={duck}")
        print(f"duckdb_efi_pincer_s median={statistics.median(efi_pincer):.1f}")
        print(f"pandas_efi_pincerA_s median={statistics.median(pand):.1f}")
        print(engines.summarise({"efi": res["efi"]})["definitions"]["efi"]["categories"])


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)
