"""Recording structured medication reviews into a PCN's dataset, and progress against the
PCN's planned capacity (Django side; the review rows live with the patients in Parquet)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from openpcn.data.accounts import audit
from openpcn.data.population.models import PopulationDataset, SmrCapacity
from openpcn.population.schema import SCHEMAS

SMR_CODE = "1239511000000100"  # Structured medication review (SNOMED CT)


class ReviewError(ValueError):
    pass


REVIEWERS = pa.schema(
    [
        ("patient_id", pa.int64()),
        ("date", pa.date32()),
        ("code", pa.string()),
        ("clinician", pa.string()),
    ]
)


def record_review(ds: PopulationDataset, patient_id: int, day: date, clinician: str = "") -> None:
    """Append an SMR for a patient of the dataset. Refuses unknown patients and dates in the
    future or before the scheme began; the write replaces the file atomically."""
    path = Path(ds.path)
    if day > date.today():
        raise ReviewError(f"A review cannot be dated in the future ({day}).")
    if day < date(2019, 7, 1):
        raise ReviewError("A structured medication review is dated from 1 July 2019 onwards.")
    ids = pq.read_table(path / "patients.parquet", columns=["patient_id"])["patient_id"]
    if not pa.compute.any(pa.compute.equal(ids, patient_id)).as_py():
        raise ReviewError("There is no such patient in this PCN's dataset; nothing was saved.")
    table = pq.read_table(path / "medication_reviews.parquet")
    row = pa.Table.from_pylist(
        [{"patient_id": patient_id, "code": SMR_CODE, "date": day, "kind": "SMR"}],
        schema=SCHEMAS["medication_reviews"],
    )
    tmp = path / "medication_reviews.parquet.tmp"
    pq.write_table(pa.concat_tables([table.cast(SCHEMAS["medication_reviews"]), row]), tmp)
    tmp.replace(path / "medication_reviews.parquet")
    # Who did the review: beside the reviews table, which the engines read as published.
    who = path / "medication_review_clinicians.parquet"
    rows = pq.read_table(who).cast(REVIEWERS) if who.exists() else REVIEWERS.empty_table()
    extra = pa.Table.from_pylist(
        [{"patient_id": patient_id, "date": day, "code": SMR_CODE, "clinician": clinician}],
        schema=REVIEWERS,
    )
    tmp = path / "medication_review_clinicians.parquet.tmp"
    pq.write_table(pa.concat_tables([rows, extra]), tmp)
    tmp.replace(who)


def save_capacity(request, pcn, reviews_per_month: int) -> None:
    """The PCN's planned structured medication reviews a month (audited)."""
    SmrCapacity.objects.update_or_create(
        pcn=pcn,
        defaults={"reviews_per_month": reviews_per_month, "updated_by": request.user.username},
    )
    audit.record(
        request,
        "SMR capacity set",
        object_type="organisation",
        object_id=pcn.code,
        reviews_per_month=reviews_per_month,
    )


def progress(ds: PopulationDataset, practices: list[str], smr_result: pa.Table, on: date) -> dict:
    """Reviews in the 12 months to ``on`` by practice and by priority cohort."""
    path = Path(ds.path)
    reviews = pq.read_table(path / "medication_reviews.parquet").to_pylist()
    since = on - timedelta(days=365)
    reviewed = {
        r["patient_id"]
        for r in reviews
        if r["kind"] == "SMR" and r["date"] and since < r["date"] <= on
    }
    cohorts = [
        c
        for c in smr_result.column_names
        if c
        not in ("patient_id", "practice_code", "in_population", "any_priority", "no_review_12m")
    ]
    by_practice, by_cohort, waiting = Counter(), Counter(), Counter()
    for r in smr_result.to_pylist():
        if r["practice_code"] not in practices or not r.get("any_priority"):
            continue
        if r["patient_id"] in reviewed:
            by_practice[r["practice_code"]] += 1
            for c in cohorts:
                if r.get(c):
                    by_cohort[c] += 1
        else:
            waiting[r["practice_code"]] += 1
    return {
        "by_practice": by_practice,
        "by_cohort": by_cohort,
        "waiting": waiting,
        "total": sum(by_practice.values()),
        "since": since,
        "cohorts": cohorts,
    }
