"""Patients per practice per LSOA (``gp-reg-pat-prac-lsoa-all.csv``): storing a parsed file
and reading one extract back as persons counts.

Stored as published, by sex, with the LSOA vintage the parser read from the header or the
codes. A file of an extract, vintage and sexes already loaded from another file replaces
that file's rows (a corrected release); the same file twice is "unchanged" (its hash).
Persons counts are the ALL rows; an extract loaded only as -male and -female files is read
as their sum. The two are never added together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from openpcn.data.registry.ingest_common import BATCH, ImportFailed, Orgs
from openpcn.data.registry.models import (
    IngestedFile,
    LsoaRegistration,
    OrgKind,
    RegisteredPopulation,
)
from openpcn.registry import records as R

KIND = "gp_reg_lsoa"


def load(parsed, ingested):
    """The loader of :data:`KIND` files (inside the import's one transaction)."""
    rows = parsed.of(R.PracticeLsoaPopulation)
    vintage = rows[0].lsoa_year
    if vintage not in (2011, 2021):
        raise ImportFailed(f"{ingested.name}: LSOA_CODE: the LSOA year could not be told")
    orgs = Orgs(ingested)
    codes = {r.practice_code for r in rows}
    wrong = sorted(
        c for c in codes if c in orgs.by_code and orgs.by_code[c].kind != OrgKind.PRACTICE
    )
    if wrong:
        raise ImportFailed(
            f"{ingested.name}: field PRACTICE_CODE: {wrong[0]} is in the registry as a "
            f"{orgs.by_code[wrong[0]].kind}, not a practice ({len(wrong)} such code(s))"
        )
    for r in rows:
        orgs.ensure(r.practice_code, OrgKind.PRACTICE, r.practice_name, update=False)
    ids = orgs.flush()
    sexes = sorted({r.sex for r in rows})
    earlier = LsoaRegistration.objects.filter(
        extract_date=parsed.as_of, lsoa_vintage=vintage, sex__in=sexes
    )
    replaced = sorted(set(earlier.values_list("source__name", flat=True)))
    if replaced:
        earlier.delete()
    LsoaRegistration.objects.bulk_create(
        (
            LsoaRegistration(
                practice_id=ids[r.practice_code],
                extract_date=r.extract_date,
                lsoa_vintage=vintage,
                lsoa_code=r.lsoa_code,
                sex=r.sex,
                count=r.count,
                source=ingested,
            )
            for r in rows
        ),
        batch_size=BATCH,
    )
    warnings = _against_practice_totals(rows, parsed.as_of) if "ALL" in sexes else []
    if replaced:
        warnings.append(
            f"replaced the {', '.join(sexes)} rows of the {parsed.as_of} extract "
            f"({vintage} LSOAs) loaded from {', '.join(replaced)}"
        )
    return len(rows), warnings


def _against_practice_totals(rows, extract_date: date) -> list[str]:
    """Each practice's LSOA rows should add up to its total in the -all file of the same
    extract (when that is loaded): a difference is named, not refused (the publisher's own
    figures)."""
    sums: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.sex == "ALL":
            sums[r.practice_code] += r.count
    totals = dict(
        RegisteredPopulation.objects.filter(
            extract_date=extract_date, sex="ALL", age_kind="all", age="ALL"
        ).values_list("org__code", "count")
    )
    if not totals:
        return [f"practice totals not checked: no gp-reg-pat-prac-all file of {extract_date}"]
    wrong = sorted((p, n, totals[p]) for p, n in sums.items() if p in totals and totals[p] != n)
    if not wrong:
        return []
    p, n, t = wrong[0]
    return [
        f"{len(wrong)} practice(s) have LSOA rows that do not add up to their total of the "
        f"same extract, e.g. {p}: {n:,} by LSOA, {t:,} in the practice totals"
    ]


@dataclass(frozen=True)
class LoadedExtract:
    """One extract as persons counts: (practice code, LSOA code) -> patients."""

    extract_date: date
    vintage: int
    files: tuple[str, ...]
    sexes: str  # "ALL" or "MALE+FEMALE": which rows the persons counts are
    counts: dict[tuple[str, str], int]


def extracts() -> list[tuple[date, int]]:
    """(extract date, vintage) of every extract loaded, newest first."""
    pairs = LsoaRegistration.objects.values_list("extract_date", "lsoa_vintage").distinct()
    return sorted(set(pairs), reverse=True)


def choose(on: date) -> tuple[date, int] | None:
    """The extract that answers for ``on``: the newest at or before it (2021 LSOAs first on
    one date), else the earliest after it."""
    loaded = extracts()
    before = sorted((d, v == 2021, v) for d, v in loaded if d <= on)
    if before:
        return before[-1][0], before[-1][2]
    after = sorted((d, v != 2021, v) for d, v in loaded)
    return (after[0][0], after[0][2]) if after else None


def persons(extract_date: date, vintage: int) -> LoadedExtract:
    qs = LsoaRegistration.objects.filter(extract_date=extract_date, lsoa_vintage=vintage)
    use = ["ALL"] if qs.filter(sex="ALL").exists() else ["FEMALE", "MALE"]
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for practice, lsoa, n in qs.filter(sex__in=use).values_list(
        "practice__code", "lsoa_code", "count"
    ):
        counts[(practice, lsoa)] += n
    ids = qs.filter(sex__in=use).values_list("source_id", flat=True).distinct()
    files = tuple(
        sorted(IngestedFile.objects.filter(id__in=list(ids)).values_list("name", flat=True))
    )
    return LoadedExtract(extract_date, vintage, files, "+".join(use), dict(counts))
