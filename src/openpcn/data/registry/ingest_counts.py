"""Ingestors of the files that count patients: NHS England Digital's registered patients
(practice rows stored, PCN rows checked against the sum of their practices) and NHS
England's PCN DES populations (raw, adjusted and weighted list sizes). Called by
:func:`openpcn.data.registry.loaders.import_file` inside its one transaction."""

from __future__ import annotations

from collections import defaultdict

from openpcn.data.registry.ingest_common import BATCH, UNALIGNED, ImportFailed, Orgs
from openpcn.data.registry.models import (
    DesPopulation,
    Organisation,
    OrgKind,
    RegisteredPopulation,
    Relation,
    RelationKind,
)
from openpcn.registry import provenance
from openpcn.registry import records as R


def _age_kind(kind: str) -> str:
    return {"all": "all", "quinary": "band5", "single": "single"}[kind]


def load_population(parsed, ingested):
    """Registered patients. Practice rows are stored; PCN and higher rows are checked
    against the sum of practices and not stored, except single-year-of-age files, which
    publish no practice rows (their PCN rows are stored)."""
    rows = parsed.of(R.PracticePopulation)
    gp_rows = [r for r in rows if r.org_type == "GP"]
    keep = gp_rows if gp_rows else [r for r in rows if r.org_type == "PCN"]
    warnings = []
    orgs = Orgs(ingested)
    for r in keep:
        if r.org_type == "GP":
            orgs.ensure(r.org_code, OrgKind.PRACTICE, postcode=r.postcode, update=False)
        elif r.org_code == UNALIGNED:
            orgs.ensure(UNALIGNED, OrgKind.UNALIGNED, "Practices in no PCN", update=False)
        else:
            orgs.ensure(r.org_code, OrgKind.PCN, update=False)
    ids = orgs.flush()
    seen = set()
    objs = []
    # Files of one extract overlap (the -all, -quin-age files both give practice totals):
    # identical counts are kept once; a different count for the same thing refuses the file.
    extracts = {r.extract_date for r in keep}
    existing = {
        (org, sex, kind, age): (count, source)
        for org, sex, kind, age, count, source in RegisteredPopulation.objects.filter(
            extract_date__in=extracts
        ).values_list("org_id", "sex", "age_kind", "age", "count", "source__name")
    }
    for r in keep:
        key = (r.org_code, r.sex, r.age_kind, r.age)
        if key in seen:
            raise ImportFailed(
                f"{ingested.name}: {r.org_code} has two rows for sex {r.sex}, age {r.age}"
            )
        seen.add(key)
        prior = existing.get((ids[r.org_code], r.sex, _age_kind(r.age_kind), r.age))
        if prior is not None:
            if prior[0] != r.count:
                raise ImportFailed(
                    f"{ingested.name}: {r.org_code} {r.sex} age {r.age} on {r.extract_date} is "
                    f"{r.count:,} here but {prior[0]:,} in {prior[1]}, already imported; "
                    "the file was refused"
                )
            continue
        objs.append(
            RegisteredPopulation(
                org_id=ids[r.org_code],
                extract_date=r.extract_date,
                sex=r.sex,
                age_kind=_age_kind(r.age_kind),
                age=r.age,
                count=r.count,
                source=ingested,
            )
        )
    RegisteredPopulation.objects.bulk_create(objs, batch_size=BATCH)
    if gp_rows:
        warnings += _verify_pcn_rows(parsed, rows, ingested)
    return len(objs), warnings


def _verify_pcn_rows(parsed, rows, ingested) -> list[str]:
    """PCN rows of the file must equal the sum of their member practices (by the map of the
    same extract, when it is loaded)."""
    from openpcn.data.registry.queries import resolve

    pcn_totals = {
        r.org_code: r.count
        for r in rows
        if r.org_type == "PCN" and r.sex == "ALL" and r.age == "ALL"
    }
    if not pcn_totals:
        return []
    extract = parsed.as_of
    snapshot = Relation.objects.filter(kind=RelationKind.PCN_MEMBER, observed=extract)
    if not snapshot.exists():
        return [f"PCN rows not checked: no practice-to-PCN map dated {extract} is loaded"]
    members = resolve(
        snapshot.values_list("child__code", "parent__code", "kind", "start", "end", "observed"),
        extract,
    )
    sums: dict[str, int] = defaultdict(int)
    for r in rows:
        if r.org_type == "GP" and r.sex == "ALL" and r.age == "ALL":
            for pcn in members.get(r.org_code, ()):
                sums[pcn] += r.count
    wrong = [(p, t, sums.get(p, 0)) for p, t in pcn_totals.items() if sums.get(p, 0) != t]
    if wrong:
        p, t, s = wrong[0]
        raise ImportFailed(
            f"{ingested.name}: {len(wrong)} PCN rows differ from the sum of their "
            f"practices, e.g. {p}: file says {t:,}, practices sum to {s:,}"
        )
    return []


def load_des(parsed, ingested):
    """NHS England PCN DES populations: raw, adjusted, weighted list per practice per year.
    Implausible rows are loaded flagged with their reason (and listed as warnings). A practice
    or PCN the registry does not know yet is recorded from the file, which names both (the
    file is its source; ODS files take it over when they name it): it is not refused."""
    rows = parsed.of(R.DesPopulation)
    orgs = Orgs(ingested)
    for r in rows:
        name = provenance.plain_name(r.practice_name, r.practice_code)
        orgs.ensure(r.practice_code, OrgKind.PRACTICE, name)
        if r.pcn_code:
            orgs.ensure(r.pcn_code, OrgKind.PCN, r.pcn_name or "")
    recorded = sorted(orgs.pending)
    orgs.flush()
    known = dict(Organisation.objects.filter(kind=OrgKind.PRACTICE).values_list("code", "id"))
    fy = rows[0].financial_year.replace("/", "-") if rows else ""
    objs, warnings = [], []
    if recorded:
        warnings.append(
            f"{len(recorded)} organisation(s) not yet in the registry recorded from this file: "
            + ", ".join(recorded[:10])
        )
    for i, r in enumerate(rows):
        if r.practice_code not in known:
            raise ImportFailed(
                f"{ingested.name} practice row {i + 1}, field Practice Code: "
                f"'{r.practice_code}' is in the registry as another kind of organisation, "
                "not a practice"
            )
        if r.implausible:
            warnings.append(f"{r.practice_code} flagged as implausible: {r.implausible_reason}")
        objs.append(
            DesPopulation(
                practice_id=known[r.practice_code],
                financial_year=fy,
                pcn_code=r.pcn_code or "",
                raw_list_size=r.raw_list_size,
                adjusted_population=r.adjusted_population,
                weighted_population=r.weighted_population,
                list_size_date=r.latest_list_size_date,
                pcn_name=r.pcn_name or "",
                region_name=r.region_name,
                implausible=r.implausible,
                implausible_reason=r.implausible_reason,
                source=ingested,
            )
        )
    existing = set(
        DesPopulation.objects.filter(financial_year=fy).values_list("practice_id", flat=True)
    )
    clash = [o for o in objs if o.practice_id in existing]
    if clash:
        # A newer file for the same year replaces the older figures for those practices.
        DesPopulation.objects.filter(
            financial_year=fy, practice_id__in=[o.practice_id for o in clash]
        ).delete()
    DesPopulation.objects.bulk_create(objs, batch_size=BATCH)
    return len(objs), warnings
