"""What every registry ingestor shares: the error that refuses a file, organisations upserted
in bulk (which file may change which record), and dated relations written in bulk."""

from __future__ import annotations

from openpcn.data.registry.models import (
    IngestedFile,
    Organisation,
    OrgKind,
    Relation,
)
from openpcn.registry import provenance

BATCH = 5000
UNALIGNED = "U"  # NHS England Digital's code for practices in no PCN


class ImportFailed(Exception):
    """An import that was refused; the database is unchanged. The message names the file."""


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


def write_relations(ids: dict[str, int], rows, ingested: IngestedFile) -> int:
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
