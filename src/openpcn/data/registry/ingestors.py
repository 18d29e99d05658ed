"""One ingestor per registry file kind: a parsed file written into the database (inside the
transaction that :func:`openpcn.data.registry.loaders.import_file` opens), checked against
what it says of itself, with the rows it loaded and its warnings."""

from __future__ import annotations

from collections import defaultdict

from openpcn.data.registry.ingest_common import (
    BATCH,
    UNALIGNED,
    ImportFailed,
    Orgs,
    write_relations,
)
from openpcn.data.registry.models import (
    DesPopulation,
    Lsoa,
    Organisation,
    OrgKind,
    RegisteredPopulation,
    Relation,
    RelationKind,
)
from openpcn.registry import provenance
from openpcn.registry import records as R


def load_map(parsed, ingested):
    """NHS England Digital practice -> PCN map: a snapshot on the extract date."""
    rows = parsed.of(R.PracticePcnMembership)
    ccg_era = any(r.era == "ccg" for r in rows)
    sub_kind, icb_kind = (OrgKind.CCG, OrgKind.STP) if ccg_era else (OrgKind.SUB_ICB, OrgKind.ICB)
    rel_sub = RelationKind.IN_CCG if ccg_era else RelationKind.IN_SUB_ICB
    rel_icb = RelationKind.IN_STP if ccg_era else RelationKind.IN_ICB
    orgs = Orgs(ingested)
    orgs.ensure(UNALIGNED, OrgKind.UNALIGNED, "Practices in no PCN", update=False)
    for r in rows:
        orgs.ensure(r.practice_code, OrgKind.PRACTICE, r.practice_name, r.postcode)
        if r.in_pcn:
            orgs.ensure(r.pcn_code, OrgKind.PCN, r.pcn_name)
        orgs.ensure(r.sub_icb_code, sub_kind, r.sub_icb_name, ons_code=r.sub_icb_ons_code or None)
        orgs.ensure(r.icb_code, icb_kind, r.icb_name, ons_code=r.icb_ons_code or None)
        orgs.ensure(
            r.region_code, OrgKind.REGION, r.region_name, ons_code=r.region_ons_code or None
        )
    ids = orgs.flush()
    rels = []
    pcn_parents: dict[str, set] = defaultdict(set)
    for r in rows:
        rels.append(
            (
                r.practice_code,
                r.pcn_code if r.in_pcn else UNALIGNED,
                RelationKind.PCN_MEMBER,
                None,
                None,
            )
        )
        rels.append((r.practice_code, r.sub_icb_code, rel_sub, None, None))
        rels.append((r.practice_code, r.icb_code, rel_icb, None, None))
        rels.append((r.practice_code, r.region_code, RelationKind.IN_REGION, None, None))
        rels.append((r.sub_icb_code, r.icb_code, rel_icb, None, None))
        rels.append((r.icb_code, r.region_code, RelationKind.IN_REGION, None, None))
        if r.in_pcn:
            pcn_parents[r.pcn_code].add((r.sub_icb_code, r.icb_code, r.region_code))
    for pcn, parents in pcn_parents.items():
        # A PCN sits in the ICB of its practices (the ICB of most of them if they differ).
        sub, icb, region = sorted(parents)[0]
        rels += [
            (pcn, sub, rel_sub, None, None),
            (pcn, icb, rel_icb, None, None),
            (pcn, region, RelationKind.IN_REGION, None, None),
        ]
    return write_relations(ids, rels, ingested), []


def load_epcn(parsed, ingested):
    """ODS ePCN: PCNs and dated practice memberships (ended and future-dated kept)."""
    pcns = parsed.of(R.EpcnPcn)
    members = parsed.of(R.EpcnMembership)
    orgs = Orgs(ingested)
    for p in pcns:
        orgs.ensure(
            p.pcn_code, OrgKind.PCN, p.pcn_name, p.postcode, opened=p.open_date, closed=p.close_date
        )
        kind = OrgKind.SUB_ICB if p.parent_kind == "sub_icb" else OrgKind.CCG
        orgs.ensure(p.parent_code, kind, p.parent_name, update=False)
    for m in members:
        orgs.ensure(m.practice_code, OrgKind.PRACTICE, m.practice_name, update="upgrade")
        orgs.ensure(m.pcn_code, OrgKind.PCN, m.pcn_name, update=False)
    ids = orgs.flush()
    rels = [
        (m.practice_code, m.pcn_code, RelationKind.PCN_MEMBER, m.start_date, m.end_date)
        for m in members
    ]
    for p in pcns:
        kind = RelationKind.IN_SUB_ICB if p.parent_kind == "sub_icb" else RelationKind.IN_CCG
        rels.append((p.pcn_code, p.parent_code, kind, None, p.close_date))
    return write_relations(ids, rels, ingested), []


def load_epraccur(parsed, ingested):
    """ODS epraccur: GP practices' names, postcodes, open/close dates and status; other
    prescribing settings only where another file already recorded them as practices (e.g.
    the DES file's special allocation scheme providers)."""
    orgs = Orgs(ingested)
    n = 0
    for r in parsed.of(R.PracticeRecord):
        if not r.is_gp_practice and r.code not in orgs.by_code:
            continue
        orgs.ensure(
            r.code,
            OrgKind.PRACTICE,
            r.name,
            r.postcode,
            opened=r.open_date,
            closed=r.close_date,
            status=r.status,
        )
        n += 1
    orgs.flush()
    return n, []


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


def load_etr(parsed, ingested):
    """ODS etr: NHS trusts as organisations of kind 'trust' with open/close dates, in their
    ICB and region (dated from the trust's open to close date) where the registry knows that
    ICB or region (import-all loads the practice maps first). A health geography that is not
    a known ICB (some rows carry other codes) gives no ICB and is named in the warnings."""
    rows = parsed.of(R.TrustRecord)
    orgs = Orgs(ingested)
    known = {
        code: kind
        for code, kind in Organisation.objects.filter(
            kind__in=[OrgKind.ICB, OrgKind.REGION]
        ).values_list("code", "kind")
    }
    for r in rows:
        closed = r.close_date is not None and r.close_date <= parsed.as_of
        orgs.ensure(
            r.code,
            OrgKind.TRUST,
            r.name,
            r.postcode,
            opened=r.open_date,
            closed=r.close_date,
            status="closed" if closed else "active",
        )
    ids = orgs.flush()
    rels = []
    not_icb: dict[str, int] = defaultdict(int)
    for r in rows:
        if known.get(r.health_geography) == OrgKind.ICB:
            rels.append(
                (r.code, r.health_geography, RelationKind.IN_ICB, r.open_date, r.close_date)
            )
        elif r.health_geography:
            not_icb[r.health_geography] += 1
        if known.get(r.national_grouping) == OrgKind.REGION:
            rels.append(
                (r.code, r.national_grouping, RelationKind.IN_REGION, r.open_date, r.close_date)
            )
    write_relations(ids, rels, ingested)
    warnings = []
    if not_icb:
        top = sorted(not_icb.items(), key=lambda x: -x[1])[:5]
        shown = ", ".join(f"{c} ({n})" for c, n in top)
        warnings.append(
            f"{sum(not_icb.values())} trust(s) name a health geography that is not an ICB in "
            f"the registry (e.g. {shown}): no ICB recorded for them"
        )
    return len(rows), warnings


def load_lsoas(parsed, ingested):
    """IoD File 1 or the IMD lookup: every LSOA of one vintage with its local authority and
    IMD rank and decile. A newer file replaces the rows of the LSOAs it names; a file whose
    deciles are worked out from ranks never replaces published deciles of the same edition.
    IoD File 1 of 2021 LSOAs also records each local authority as an organisation."""
    rows = parsed.of(R.LsoaDeprivation)
    vintage = rows[0].vintage
    held = {
        code: (edition, derived)
        for code, edition, derived in Lsoa.objects.filter(vintage=vintage).values_list(
            "code", "edition", "decile_derived"
        )
    }
    keep = []
    kept_published = 0
    for r in rows:
        prior = held.get(r.code)
        if prior and prior[0] == r.edition and not prior[1] and r.decile_derived:
            kept_published += 1
            continue
        keep.append(r)
    replacing = [r.code for r in keep if r.code in held]
    for i in range(0, len(replacing), BATCH):  # in chunks: databases cap query parameters
        Lsoa.objects.filter(vintage=vintage, code__in=replacing[i : i + BATCH]).delete()
    Lsoa.objects.bulk_create(
        [
            Lsoa(
                code=r.code,
                vintage=r.vintage,
                name=r.name,
                lad_code=r.lad_code,
                lad_name=r.lad_name,
                lad_vintage=r.lad_vintage,
                edition=r.edition,
                imd_rank=r.rank,
                imd_decile=r.decile,
                decile_derived=r.decile_derived,
                source=ingested,
            )
            for r in keep
        ],
        batch_size=BATCH,
    )
    warnings = []
    if replacing:
        warnings.append(
            f"{len(replacing):,} LSOA(s) of {vintage} replaced rows from an earlier file"
        )
    if kept_published:
        warnings.append(
            f"{kept_published:,} LSOA(s) kept their published deciles from IoD File 1 "
            "(this file's deciles are worked out from ranks)"
        )
    if parsed.kind == "mhclg_iod_file1" and vintage == 2021:
        orgs = Orgs(ingested)
        for code, name in sorted({(r.lad_code, r.lad_name) for r in rows}):
            orgs.ensure(code, OrgKind.LOCAL_AUTHORITY, name, ons_code=code)
        orgs.flush()
    return len(keep), warnings


LOADERS = {
    "gp_reg_map": load_map,
    "ods_epcn": load_epcn,
    "ods_epraccur": load_epraccur,
    "gp_reg_all": load_population,
    "gp_reg_quin_age": load_population,
    "gp_reg_sing_age": load_population,
    "nhse_des_population": load_des,
    "ods_etr": load_etr,
    "mhclg_iod_file1": load_lsoas,
    "ons_imd_lookup": load_lsoas,
}
