"""Cohorts, aggregates and worklists for a PCN's dataset (Django side)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from openpcn.data.population import kept
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
DEFAULT_RATE = ("smr", "any_priority")  # the cohort whose rate by group a page shows first
_RESULTS: dict[tuple, dict[str, pa.Table]] = {}
_AGGREGATES: dict[tuple, object] = {}
_PATIENTS: dict[tuple, object] = {}


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


def version(ds: PopulationDataset) -> tuple[str, int, date]:
    """The dataset's folder, the newest change to its files and the index date: what every
    result and aggregate of it is kept by."""
    return kept.version(Path(ds.path), index_date(ds))


def results(ds: PopulationDataset) -> dict[str, pa.Table]:
    """Every definition's per-patient result, computed once and kept beside the dataset."""
    key = version(ds)
    path, stamp, index = Path(key[0]), key[1], key[2]
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


def _memo(ds: PopulationDataset, what: tuple, make):
    """Aggregates kept beside the results they come from (same dataset files, same index
    date): in this process and, as JSON, in the dataset's ``results/`` folder, so that a
    visit after the first (in any worker) neither reads the per-patient results nor recounts
    100,000 patients."""
    key = (*version(ds), what)
    if key not in _AGGREGATES:
        if len(_AGGREGATES) >= 256:
            _AGGREGATES.clear()
        _AGGREGATES[key] = kept.kept(key[:3], what, make)
    return _AGGREGATES[key]


def _patient_level(ds: PopulationDataset, what: tuple, make):
    """Per-patient working (group keys): kept in this process only, never written out."""
    key = (*version(ds), what)
    if key not in _PATIENTS:
        _PATIENTS.clear()
        _PATIENTS[key] = make()
    return _PATIENTS[key]


def cohort_counts(ds: PopulationDataset, practices: list[str]) -> dict[str, dict]:
    """Definition -> cohort -> practice -> patients in the cohort (every cohort, exact)."""

    def make():
        out: dict[str, dict] = {}
        for d in load_all():
            table = results(ds)[d.name].select(["practice_code", *d.cohorts])
            table = table.filter(pa.compute.is_in(table["practice_code"], pa.array(practices)))
            ints = {
                c: pa.compute.cast(pa.compute.fill_null(table[c], False), pa.int64())
                for c in d.cohorts
            }
            grouped = (
                pa.table({"practice_code": table["practice_code"], **ints})
                .group_by("practice_code")
                .aggregate([(c, "sum") for c in d.cohorts])
            )
            per = {c: {p: 0 for p in practices} for c in d.cohorts}
            for row in grouped.to_pylist():
                for c in d.cohorts:
                    per[c][row["practice_code"]] = int(row[f"{c}_sum"] or 0)
            out[d.name] = per
        return out

    return _memo(ds, ("counts", tuple(practices)), make)


def cohort_table(ds: PopulationDataset, practices: list[str], disclose: bool) -> list[dict]:
    """Per definition and shown cohort (building blocks left out): its clinical label, count
    per practice and in total (suppressed if disclose), and for a hazard counted out of a
    denominator cohort, that denominator's total beside it."""
    out = []
    show = suppress if disclose else (lambda n: n)
    counts_by_def = cohort_counts(ds, practices)
    for d in load_all():
        counts = counts_by_def[d.name]
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
    def make():
        efi = results(ds)["efi"]
        mask = pa.compute.is_in(efi["practice_code"], pa.array(practices))
        return risk_pyramid(efi.filter(mask), disclose=disclose)

    return _memo(ds, ("pyramid", tuple(practices), disclose), make)


def smr_progress(ds: PopulationDataset, practices: list[str]) -> dict:
    """Structured medication reviews in the 12 months to the index date, by practice and
    priority cohort (:func:`openpcn.data.population.reviews.progress`), kept per version (a
    recorded review changes the dataset's files, so the next visit counts again)."""
    from collections import Counter

    from openpcn.data.population.reviews import progress

    def make():
        report = progress(ds, practices, results(ds)["smr"], index_date(ds))
        return {**report, "since": report["since"].isoformat()}

    report = _memo(ds, ("smr progress", tuple(practices)), make)
    return {
        **report,
        **{k: Counter(report[k]) for k in ("by_practice", "by_cohort", "waiting")},
        "since": date.fromisoformat(report["since"]),
    }


def clear() -> None:
    _RESULTS.clear()
    _AGGREGATES.clear()
    _PATIENTS.clear()
    kept.clear()


def inequalities(
    ds: PopulationDataset, practices: list[str], definition: str, cohort: str, disclose: bool
) -> dict[str, list[dict]]:
    """The cohort's rate (95% Wilson interval) by IMD quintile, age band, sex and ethnicity."""
    from openpcn.population.outputs import RATE_GROUPS, group_keys, rates
    from openpcn.population.schema import load_dataset

    def keys():
        patients = load_dataset(ds.path).table("patients")
        return group_keys(patients, index_date(ds))

    def make():
        result = results(ds)[definition]
        mask = pa.compute.is_in(result["practice_code"], pa.array(practices))
        groups = _patient_level(ds, ("group keys",), keys)
        return {
            by: rates(result.filter(mask), None, cohort, index_date(ds), by, disclose, groups)
            for by in RATE_GROUPS
        }

    return _memo(ds, ("rates", tuple(practices), definition, cohort, disclose), make)


def warm(ds: PopulationDataset) -> None:
    """Work out, as at the dataset's index date (today), every aggregate the population pages
    and APIs read first: for the PCN's members and for each member practice, through the
    same functions the pages call (so the kept entries are the ones a visit asks for), for
    both disclosure settings. Called once an import, attach or upload has committed
    (decision 0025). Nobody views anything, so nothing is audited; the per-patient results
    and group keys are dropped from memory afterwards (the aggregates stay, on disk and in
    this process). A rate by group other than the default one is worked out when asked."""
    pcn = ds.pcn.code
    practices = members(pcn)
    if not practices:
        return
    definition, cohort = DEFAULT_RATE
    try:
        for group in [practices, *([p] for p in practices)]:
            cohort_counts(ds, group)
            for disclose in (False, True):
                pyramid(ds, group, disclose)
                inequalities(ds, group, definition, cohort, disclose)
        smr_progress(ds, practices)
    finally:
        _RESULTS.clear()
        _PATIENTS.clear()
