"""Cohorts, aggregates and worklists for a PCN's dataset (Django side)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from openpcn.data.population.models import PopulationDataset
from openpcn.data.registry.queries import membership_at
from openpcn.population.definitions import load_all
from openpcn.population.engines import run_definitions
from openpcn.population.outputs import risk_pyramid, suppress

PURPOSES = {
    "direct_care": "Direct care: planning reviews for these patients",
    "smr_planning": "Structured medication review planning",
    "care_home_round": "Care home round preparation",
    "case_finding": "Case-finding for long-term condition care",
}
_RESULTS: dict[tuple, dict[str, pa.Table]] = {}


def members(pcn_code: str, on: date | None = None) -> list[str]:
    """The PCN's member practices as at ``on``: today, the date cohorts are worked out at."""
    return membership_at(on or date.today()).members_of(pcn_code)


def pcn_of(practice_code: str, on: date | None = None) -> str | None:
    """The PCN a practice is in as at ``on`` (today; 'U' when none)."""
    return membership_at(on or date.today()).pcn_of(practice_code)


def dataset_for(pcn_code: str) -> PopulationDataset | None:
    return PopulationDataset.objects.filter(pcn__code=pcn_code).first()


def index_date(ds: PopulationDataset) -> date:
    """Cohorts are worked out as at today (or the dataset's own date when that is later), so
    that reviews recorded today take patients off the lists."""
    return max(ds.index_date, date.today())


def results(ds: PopulationDataset) -> dict[str, pa.Table]:
    """Every definition's per-patient result, computed once and kept beside the dataset."""
    path = Path(ds.path)
    stamp = max(p.stat().st_mtime_ns for p in path.glob("*.parquet"))
    index = index_date(ds)
    key = (str(path), stamp, index)
    if key in _RESULTS:
        return _RESULTS[key]
    cache_dir = path / "results"
    names = [d.name for d in load_all()]
    cached = {n: cache_dir / f"{n}-{index.isoformat()}.parquet" for n in names}
    if all(p.exists() and p.stat().st_mtime_ns >= stamp for p in cached.values()):
        out = {n: pq.read_table(p) for n, p in cached.items()}
    else:
        out = run_definitions(path, engine="duckdb", index_date=index)
        cache_dir.mkdir(exist_ok=True)
        for n, table in out.items():
            pq.write_table(table, cached[n])
    _RESULTS.clear()
    _RESULTS[key] = out
    return out


def cohort_table(ds: PopulationDataset, practices: list[str], disclose: bool) -> list[dict]:
    """Per definition and shown cohort (building blocks left out): its clinical label, count
    per practice and in total (suppressed if disclose), and for a hazard counted out of a
    denominator cohort, that denominator's total beside it."""
    out = []
    show = suppress if disclose else (lambda n: n)
    for d in load_all():
        table = results(ds)[d.name]
        rows = table.select(["practice_code", *d.cohorts]).to_pylist()
        counts = {}
        for cohort in d.cohorts:
            per = {p: 0 for p in practices}
            for r in rows:
                if r[cohort] and r["practice_code"] in per:
                    per[r["practice_code"]] += 1
            counts[cohort] = per
        for cohort in d.shown_cohorts:
            per = counts[cohort]
            label = d.labels.get(cohort)
            den = label.denominator if label else None
            out.append(
                {
                    "definition": d.name,
                    "title": d.title,
                    "cohort": cohort,
                    "label": d.label(cohort),
                    "kind": label.kind if label else "cohort",
                    "total": show(sum(per.values())),
                    "per_practice": {p: show(n) for p, n in per.items()},
                    "out_of": show(sum(counts[den].values())) if den else None,
                    "out_of_label": d.label(den) if den else "",
                }
            )
    return out


def pyramid(ds: PopulationDataset, practices: list[str], disclose: bool) -> list[dict]:
    efi = results(ds)["efi"]
    mask = pa.compute.is_in(efi["practice_code"], pa.array(practices))
    return risk_pyramid(efi.filter(mask), disclose=disclose)


def clear() -> None:
    _RESULTS.clear()


def inequalities(
    ds: PopulationDataset, practices: list[str], definition: str, cohort: str, disclose: bool
) -> dict[str, list[dict]]:
    """The cohort's rate (95% Wilson interval) by IMD quintile, age band, sex and ethnicity."""
    from openpcn.population.outputs import rates
    from openpcn.population.schema import load_dataset

    result = results(ds)[definition]
    mask = pa.compute.is_in(result["practice_code"], pa.array(practices))
    patients = load_dataset(ds.path).table("patients")
    return {
        by: rates(result.filter(mask), patients, cohort, index_date(ds), by=by, disclose=disclose)
        for by in ("imd_quintile", "age_band", "sex", "ethnicity")
    }
