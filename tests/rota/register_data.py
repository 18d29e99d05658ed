"""A small staff register for U00001 (two GPs, two clinical pharmacists over two practices),
as the rota page tests and the role walk set it up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

STAFF = [
    ("gp", "1.0", "A00001"),
    ("gp", "0.8", "A00002"),
    ("clinical_pharmacist", "1.0", "A00001"),
    ("clinical_pharmacist", "0.6", "A00002"),
]


def staff_register(pcn, name: str = "Person") -> list:
    """The register's StaffMember rows for ``pcn``, named "<name> 0", "<name> 1", ..."""
    from openpcn.data.finance.models import StaffMember

    return [
        StaffMember.objects.create(
            pcn=pcn,
            name=f"{name} {i}",
            role=role,
            afc_band="8a",
            wte=Decimal(wte),
            start_date=date(2025, 1, 1),
            employment_model="lead_practice",
            employer_ods="A00001",
            base_practice=base,
        )
        for i, (role, wte, base) in enumerate(STAFF)
    ]
