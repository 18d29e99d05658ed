"""Load a parsed NWRS file (one transaction, through the registry's import pipeline)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from openpcn.data.workforce.models import NationalFte


def load_nwrs(parsed, ingested):
    """Aggregate to PCN x data source x staff role x detailed role; no staff identifiers."""
    groups: dict[tuple, list] = defaultdict(lambda: [Decimal(0), 0, None])
    for r in parsed.records:
        key = (r.pcn_code, r.data_source, r.staff_group, r.staff_role, r.detailed_staff_role)
        g = groups[key]
        g[0] += r.fte
        g[1] += 1
        g[2] = g[2] or r
    if NationalFte.objects.filter(census_date=parsed.as_of).exists():
        from openpcn.data.registry.loaders import ImportFailed

        raise ImportFailed(
            f"{ingested.name}: an NWRS census for {parsed.as_of} is already "
            "loaded from another file; the file was refused"
        )
    rows = [
        NationalFte(
            census_date=parsed.as_of,
            pcn_code=k[0],
            pcn_name=r.pcn_name,
            icb_code=r.icb_code,
            icb_name=r.icb_name,
            data_source=k[1],
            staff_group=k[2],
            staff_role=k[3],
            detailed_staff_role=k[4],
            fte=fte,
            records=n,
            source=ingested,
        )
        for k, (fte, n, r) in groups.items()
    ]
    NationalFte.objects.bulk_create(rows, batch_size=5000)
    return len(rows), []
