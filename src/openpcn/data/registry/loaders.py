"""Loaders: write a parsed registry file into the database in one transaction, verify it,
and record what was ingested. Re-importing the same file (same SHA-256) changes nothing.

A file that fails to parse or verify leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction

from openpcn.data.registry.models import (
    DesPopulation,
    IngestedFile,
    Organisation,
    OrgKind,
    RegisteredPopulation,
    Relation,
    RelationKind,
)
from openpcn.registry import provenance
from openpcn.registry import records as R
from openpcn.registry.errors import RegistryFileError

BATCH = 5000
UNALIGNED = "U"  # NHS England Digital's code for practices in no PCN


class ImportFailed(Exception):
    """An import that was refused; the database is unchanged. The message names the file."""


@dataclass
class ImportResult:
    name: str
    kind: str
    as_of: date | None
    status: str  # loaded | unchanged
    rows_read: int = 0
    rows_loaded: int = 0
    warnings: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class Importer:
    """A file type another domain imports through the same pipeline (same record, same
    one-transaction rule). ``load(parsed, ingested) -> (rows_loaded, warnings)``."""

    kind: str
    detect: object  # path -> bool
    parse: object  # path -> parsed object with .as_of, .records, .warnings, .counts
    load: object
    after: str = "nhse_des_population"  # import after this registry kind


EXTRA_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    """Called from a domain app's ready(): its file type joins import and import-all."""
    EXTRA_IMPORTERS[importer.kind] = importer


def detect_kind(path: Path) -> tuple[str | None, str]:
    """The file's kind (registry or another domain's) and the reason when unknown."""
    from openpcn.registry.parsers import detect_with_reason

    kind, reason = detect_with_reason(path)
    if kind in LOADERS:
        return kind, reason
    if kind:  # parsed (openpcn.registry.parsers) but not stored yet: skipped, not refused
        return None, f"{kind} file: the registry does not store it yet"
    for importer in EXTRA_IMPORTERS.values():
        try:
            if importer.detect(path):
                return importer.kind, ""
        except (OSError, ValueError):
            continue
    return None, reason


def import_file(path: Path, parsed=None) -> ImportResult:
    """Parse (unless given), load in one transaction, verify, record. Raises ImportFailed."""
    from openpcn.registry.parsers import parse

    path = Path(path)
    sha = sha256_of(path)
    done = IngestedFile.objects.filter(sha256=sha).first()
    if done is not None:
        return ImportResult(
            path.name, done.kind, done.as_of, "unchanged", done.rows_read, done.rows_loaded
        )
    kind, reason = detect_kind(path) if parsed is None else (parsed.kind, "")
    if kind is None:
        raise ImportFailed(f"{path.name}: not a file OpenPCN can import ({reason})")
    extra = EXTRA_IMPORTERS.get(kind)
    try:
        if parsed is None:
            parsed = extra.parse(path) if extra else parse(path)
    except RegistryFileError as e:
        raise ImportFailed(str(e)) from e
    except ValueError as e:  # other domains' parsers raise ValueError subclasses too
        raise ImportFailed(f"{path.name}: {e}") from e
    loader = extra.load if extra else LOADERS.get(parsed.kind)
    if loader is None:
        raise ImportFailed(f"{path.name}: files of type '{parsed.kind}' have no loader yet")
    rows_read = parsed.counts.get("rows_read", len(parsed.records))
    with transaction.atomic():
        ingested = IngestedFile.objects.create(
            name=path.name,
            path=str(path),
            sha256=sha,
            kind=kind,
            as_of=parsed.as_of,
            rows_read=rows_read,
            warnings=list(parsed.warnings),
        )
        try:
            loaded, warnings = loader(parsed, ingested)
        except IntegrityError as e:  # a safety net: the loaders check before they write
            raise ImportFailed(f"{path.name}: conflicts with data already loaded ({e})") from e
        ingested.rows_loaded = loaded
        ingested.warnings = list(parsed.warnings) + warnings
        ingested.save(update_fields=["rows_loaded", "warnings"])
    return ImportResult(
        path.name, kind, parsed.as_of, "loaded", rows_read, loaded, ingested.warnings
    )


# --- organisations ---------------------------------------------------------------------

# July 2022: STPs became ICBs and CCGs became sub-ICB locations, mostly keeping their codes.
KIND_SUCCESSORS = {OrgKind.STP: OrgKind.ICB, OrgKind.CCG: OrgKind.SUB_ICB}


class Orgs:
    """Upserts organisations in bulk and hands out their ids. Which file may change a record
    is decided by :mod:`openpcn.registry.provenance` (ODS wins; the source history is kept)."""

    def __init__(self, ingested: IngestedFile):
        self.source = ingested.name
        self.rank = provenance.authority(ingested.kind)
        self.kinds = dict(IngestedFile.objects.values_list("name", "kind"))
        self.kinds[ingested.name] = ingested.kind
        self.by_code: dict[str, Organisation] = {}
        self.pending: dict[str, Organisation] = {}
        self.changed: dict[str, Organisation] = {}
        for org in Organisation.objects.all():
            self.by_code[org.code] = org

    def ensure(
        self, code: str, kind: str, name: str = "", postcode: str = "", update: bool = True, **extra
    ) -> None:
        code = code.strip().upper()
        if not code:
            return
        org = self.by_code.get(code) or self.pending.get(code)
        if org is None:
            self.pending[code] = Organisation(
                code=code,
                kind=kind,
                name=name or code,
                postcode=postcode,
                source=self.source,
                **extra,
            )
            return
        if not update or org.pk is None:
            return
        held = provenance.held_by(org.source, self.kinds)
        wins = provenance.may_change(self.rank, held, upgrade_only=update == "upgrade")
        dirty = False
        if KIND_SUCCESSORS.get(org.kind) == kind:  # the same code, renamed with the reforms
            org.kind, dirty = kind, True
        if name and org.name != name and (wins or org.name == code):
            org.name, dirty = name, True
        if postcode and org.postcode != postcode and (wins or not org.postcode):
            org.postcode, dirty = postcode, True
        for k, v in extra.items():
            if v is not None and getattr(org, k, None) != v and (wins or not getattr(org, k)):
                setattr(org, k, v)
                dirty = True
        if dirty and (self.rank > held or not wins):
            org.source = provenance.with_source(org.source, self.source)
        if dirty:
            self.changed[code] = org

    def flush(self) -> dict[str, int]:
        if self.pending:
            Organisation.objects.bulk_create(list(self.pending.values()), batch_size=BATCH)
            self.pending.clear()
        if self.changed:
            fields = {"name", "postcode", "kind", "source"}
            for org in self.changed.values():
                fields |= {f for f in ("opened", "closed", "status") if getattr(org, f)}
            Organisation.objects.bulk_update(
                list(self.changed.values()), sorted(fields), batch_size=BATCH
            )
            self.changed.clear()
        return dict(Organisation.objects.values_list("code", "id"))


def _relations(ids: dict[str, int], rows, ingested: IngestedFile) -> int:
    """rows: (child, parent, kind, start, end). Duplicates within a file are merged."""
    seen = set()
    objs = []
    for child, parent, kind, start, end in rows:
        key = (child, parent, kind, start)
        if key in seen or child not in ids or parent not in ids:
            continue
        seen.add(key)
        objs.append(
            Relation(
                child_id=ids[child],
                parent_id=ids[parent],
                kind=kind,
                start=start,
                end=end,
                observed=ingested.as_of,
                source=ingested,
            )
        )
    Relation.objects.bulk_create(objs, batch_size=BATCH, ignore_conflicts=True)
    return len(objs)


# --- one loader per file kind ------------------------------------------------------------


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
    return _relations(ids, rels, ingested), []


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
    return _relations(ids, rels, ingested), []


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


LOADERS = {
    "gp_reg_map": load_map,
    "ods_epcn": load_epcn,
    "ods_epraccur": load_epraccur,
    "gp_reg_all": load_population,
    "gp_reg_quin_age": load_population,
    "gp_reg_sing_age": load_population,
    "nhse_des_population": load_des,
}

# Dependency order for import-all: organisations and memberships before populations.
ORDER = [
    "ods_epraccur",
    "ods_epcn",
    "gp_reg_map",
    "gp_reg_all",
    "gp_reg_quin_age",
    "gp_reg_sing_age",
    "nhse_des_population",
]


def import_order() -> list[str]:
    """Registry kinds, then other domains' kinds after the kind each names."""
    order = list(ORDER)
    for importer in EXTRA_IMPORTERS.values():
        at = order.index(importer.after) + 1 if importer.after in order else len(order)
        order.insert(at, importer.kind)
    return order
