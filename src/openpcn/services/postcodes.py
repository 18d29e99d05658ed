"""UK postcodes as text: parts and a similarity score, plus great-circle distance.

There is no postcode geocoding file in the data directory, so practice locations are not
known from their postcodes. Similarity works on the postcode's own structure:
area ("LS"), district ("LS6"), sector ("LS6 2") and full unit ("LS6 2AB").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][A-Z0-9]?) ?([0-9])([A-Z]{2})$")

#: similarity levels, best first.
LEVELS = ("unit", "sector", "district", "area", "none")


@dataclass(frozen=True)
class Postcode:
    area: str
    district: str
    sector: str
    unit: str

    @classmethod
    def parse(cls, text: str) -> Postcode | None:
        """Parse a postcode in any spacing or case; None if it is not one."""
        cleaned = re.sub(r"\s+", "", (text or "").upper())
        m = _POSTCODE.match(cleaned)
        if not m:
            return None
        area, dist, sector_digit, unit = m.groups()
        district = area + dist
        return cls(area, district, f"{district} {sector_digit}", f"{district} {sector_digit}{unit}")


def similarity(a: Postcode | None, b: Postcode | None) -> str:
    """The closest level two postcodes share: unit, sector, district, area or none."""
    if a is None or b is None:
        return "none"
    if a.unit == b.unit:
        return "unit"
    if a.sector == b.sector:
        return "sector"
    if a.district == b.district:
        return "district"
    if a.area == b.area:
        return "area"
    return "none"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean Earth radius 6,371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
