"""The CQC care homes with beds file.

``cqc_care_homes_2021-03_virtuk/care_homes_cqc_with_beds.csv``:

A third-party processed extract of CQC's care directory (HSCA active locations, ~March
2021). Only what the Enhanced Health in Care Homes service needs is kept: Location ID, name,
beds, postcode, latitude/longitude, region, local authority, with/without nursing and the
service user bands. Personal names ("Provider Nominated Individual Name") and the author's
modelled columns are never read. Columns are found by header name.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from openpcn.services.errors import DataFileError

_BAND_PREFIX = "Service user band - "
_REQUIRED = {
    "location_id": "Location ID",
    "name": "Location Name",
    "beds": "Care homes beds",
    "postcode": "Location Postal Code",
}
_OPTIONAL = {
    "care_home": "Care home?",
    "region": "Location Region",
    "local_authority": "Location Local Authority",
    "latitude": "Location Latitude",
    "longitude": "Location Longitude",
    "with_nursing": "Service type - Care home service with nursing",
    "without_nursing": "Service type - Care home service without nursing",
}
_LOCATION_ID = re.compile(r"^(1-\d{6,12}|[A-Z0-9]{3,10})$")  # CQC ids; NHS sites use ODS codes


@dataclass(frozen=True, slots=True)
class CareHome:
    """One CQC-registered care home (organisation data: no personal names)."""

    location_id: str
    name: str
    beds: int
    postcode: str
    region: str
    local_authority: str
    latitude: float | None
    longitude: float | None
    with_nursing: bool
    without_nursing: bool
    service_user_bands: tuple[str, ...]

    @property
    def older_people(self) -> bool:
        return "Older People" in self.service_user_bands


def _norm(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).lower()


def parse_care_homes(path: str | Path) -> list[CareHome]:
    """Parse the file; raises DataFileError naming line and field on bad input."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, None, f"not UTF-8 text ({exc.reason})") from None
    except FileNotFoundError:
        raise DataFileError(path, None, None, "file not found") from None
    if not text.strip():
        raise DataFileError(path, None, None, "file is empty")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    index = {_norm(h): i for i, h in enumerate(header)}
    cols: dict[str, int | None] = {}
    for key, name in _REQUIRED.items():
        if _norm(name) not in index:
            raise DataFileError(path, 1, name, "required column is missing or renamed")
        cols[key] = index[_norm(name)]
    for key, name in _OPTIONAL.items():
        cols[key] = index.get(_norm(name))
    bands = [
        (h[len(_BAND_PREFIX) :].strip(), i)
        for i, h in enumerate(header)
        if h.startswith(_BAND_PREFIX)
    ]
    homes: list[CareHome] = []
    seen: dict[str, int] = {}
    width = len(header)
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != width:
            raise DataFileError(path, line, None, f"{len(row)} fields, header has {width}")

        def get(key: str, row=row) -> str:
            i = cols[key]
            return row[i].strip() if i is not None else ""

        loc = get("location_id")
        if not _LOCATION_ID.match(loc):
            raise DataFileError(path, line, "Location ID", f"{loc!r} is not a CQC Location ID")
        if loc in seen:
            raise DataFileError(
                path, line, "Location ID", f"duplicate {loc} (first at line {seen[loc]})"
            )
        seen[loc] = line
        if cols["care_home"] is not None and get("care_home") not in ("Y", ""):
            continue  # not a care home location
        beds_text = get("beds")
        try:
            beds = int(float(beds_text)) if beds_text else -1
        except ValueError:
            beds = -1
        if beds < 0 or (beds_text and float(beds_text) != beds):
            raise DataFileError(
                path, line, "Care homes beds", f"{beds_text!r} is not a whole number of beds"
            )
        lat = _coordinate(path, line, "Location Latitude", get("latitude"), 49.0, 61.0)
        lon = _coordinate(path, line, "Location Longitude", get("longitude"), -8.0, 2.0)
        homes.append(
            CareHome(
                location_id=loc,
                name=get("name"),
                beds=beds,
                postcode=get("postcode").upper(),
                region=get("region"),
                local_authority=get("local_authority"),
                latitude=lat,
                longitude=lon,
                with_nursing=get("with_nursing") == "Y",
                without_nursing=get("without_nursing") == "Y",
                service_user_bands=tuple(b for b, i in bands if row[i].strip() == "Y"),
            )
        )
    return homes


def _coordinate(
    path: Path, line: int, field: str, text: str, low: float, high: float
) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise DataFileError(path, line, field, f"{text!r} is not a number") from None
    if not low <= value <= high:
        raise DataFileError(path, line, field, f"{value} is outside England ({low} to {high})")
    return value
