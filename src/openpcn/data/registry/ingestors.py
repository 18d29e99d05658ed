"""One ingestor per registry file kind: a parsed file written into the database (inside the
transaction that :func:`openpcn.data.registry.loaders.import_file` opens), checked against
what it says of itself, with the rows it loaded and its warnings. Organisations, memberships
and small areas are here; the files that count patients in :mod:`.ingest_counts`."""

from __future__ import annotations

from collections import defaultdict

from openpcn.data.registry.ingest_common import BATCH, UNALIGNED, Orgs, write_relations
from openpcn.data.registry.ingest_counts import load_des, load_population
from openpcn.data.registry.models import Lsoa, Organisation, OrgKind, RelationKind
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
    "ods_epcn_csv": load_epcn,  # the same records, from the two CSV reports
    "ods_epraccur": load_epraccur,
    "gp_reg_all": load_population,
    "gp_reg_quin_age": load_population,
    "gp_reg_sing_age": load_population,
    "nhse_des_population": load_des,
    "ods_etr": load_etr,
    "mhclg_iod_file1": load_lsoas,
    "ons_imd_lookup": load_lsoas,
}
