"""Load the IIF achievement file through the registry's import pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from openpcn.data.services.models import IifMeasure
from openpcn.services.iif.achievement_file import AchievementFile, parse_achievement_file

IIF_KIND = "nhsd_iif_achievement"


@dataclass
class ParsedIif:
    file: AchievementFile
    kind: str = IIF_KIND
    warnings: list[str] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        return self.file.achievement_date

    @property
    def records(self):
        return self.file.rows

    @property
    def counts(self) -> dict[str, int]:
        return {"rows_read": len(self.file.rows)}


def parse_iif(path) -> ParsedIif:
    """Parse and check the file against the year's definitions (a missing measure refuses)."""
    from openpcn.core.fyear import FinancialYear
    from openpcn.services.errors import ServicesError
    from openpcn.services.iif import iif_definitions
    from openpcn.services.iif.achievement_file import indicator_measures

    file = parse_achievement_file(path)
    try:
        indicator_measures(file, iif_definitions(FinancialYear.containing(file.achievement_date)))
    except ServicesError as e:
        raise ValueError(str(e)) from e
    hidden = len(file.suppressed)
    notes = [f"{hidden} measures published as '*' (suppressed): not loaded"] if hidden else []
    return ParsedIif(file, warnings=notes)


def load_iif(parsed: ParsedIif, ingested):
    from openpcn.data.registry.loaders import ImportFailed

    if IifMeasure.objects.filter(achievement_date=parsed.as_of).exists():
        raise ImportFailed(
            f"{ingested.name}: IIF measures for {parsed.as_of} are already "
            "loaded from another file; the file was refused"
        )
    f = parsed.file
    IifMeasure.objects.bulk_create(
        [
            IifMeasure(
                achievement_date=f.achievement_date,
                service=f.service,
                level=r.level,
                org_code=r.org_code,
                org_name=r.org_name,
                ind_code=r.ind_code,
                measure=r.measure,
                value=r.value,
                line=r.line,
                source=ingested,
            )
            for r in f.rows
        ],
        batch_size=5000,
    )
    return len(f.rows), []


CQC_KIND = "cqc_care_homes"


def detect_cqc(path) -> bool:
    """True if the content looks like a CQC care home directory extract."""
    from openpcn.core.sniff import header_columns

    cols = header_columns(path)
    return cols is not None and {"LOCATION ID", "CARE HOMES BEDS"} <= cols


@dataclass
class ParsedCareHomes:
    homes: list
    as_of: date
    kind: str = CQC_KIND
    warnings: list[str] = field(default_factory=list)

    @property
    def records(self):
        return self.homes

    @property
    def counts(self) -> dict[str, int]:
        return {"rows_read": len(self.homes)}


def parse_cqc(path) -> ParsedCareHomes:
    """The care homes, and as-of date = the latest HSCA start date in the file."""
    import csv
    import io
    from pathlib import Path

    from openpcn.services.cqc import parse_care_homes

    homes = parse_care_homes(path)
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    latest = None
    for row in reader:
        raw = (row.get("Location HSCA start date") or "").strip()
        for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%b-%y"):
            try:
                from datetime import datetime

                d = datetime.strptime(raw, fmt).date()
                latest = d if latest is None or d > latest else latest
                break
            except ValueError:
                continue
    return ParsedCareHomes(homes, latest or date.today())


def load_cqc(parsed: ParsedCareHomes, ingested):
    """Insert new homes, update beds and names of known ones (alignments are kept)."""
    from openpcn.data.services.models import CareHome

    existing = {h.location_id: h for h in CareHome.objects.all()}
    new, changed = [], []
    for h in parsed.homes:
        fields = dict(
            name=h.name,
            beds=h.beds,
            postcode=h.postcode,
            local_authority=h.local_authority,
            region=h.region,
            latitude=h.latitude,
            longitude=h.longitude,
            with_nursing=h.with_nursing,
            older_people=h.older_people,
        )
        row = existing.get(h.location_id)
        if row is None:
            new.append(CareHome(location_id=h.location_id, source=ingested, **fields))
        else:
            for k, v in fields.items():
                setattr(row, k, v)
            row.source = ingested
            changed.append(row)
    CareHome.objects.bulk_create(new, batch_size=5000)
    if changed:
        CareHome.objects.bulk_update(changed, [*fields, "source"], batch_size=5000)
    return len(new) + len(changed), []
