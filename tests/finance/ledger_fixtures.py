"""Shared set-up for the finance pages tests: a population file with weighted lists, a staff
register, and a helper to post claim forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpcn.data.finance import entitlements
from openpcn.data.finance.models import StaffMember
from openpcn.data.registry.models import DesPopulation, IngestedFile, Organisation

YEAR = "2024-25"


def weighted_file(weighted=(20000, 15000), year=YEAR):
    """A 2024-25 population file for U00001's practices (weighted lists given)."""
    src = IngestedFile.objects.create(
        name=f"test_pcn_data_{year}.csv",
        path="test",
        sha256=f"{year}-{weighted}".ljust(64, "0")[:64],
        kind="des_population",
        as_of=date(2024, 1, 1),
    )
    for code, w in zip(("A00001", "A00002"), weighted, strict=True):
        DesPopulation.objects.create(
            practice=Organisation.objects.get(code=code),
            financial_year=year,
            pcn_code="U00001",
            pcn_name="Alpha North PCN",
            raw_list_size=w - 1000,
            adjusted_population=Decimal(w - 500),
            weighted_population=Decimal(w),
            source=src,
        )
    entitlements.clear()


def staff(role="clinical_pharmacist", wte="1", start=date(2023, 4, 1), end=None, pcn="U00001",
          gross="4000.00", ni="450.00", pension="575.00", name="Pat Example"):  # fmt: skip
    return StaffMember.objects.create(
        pcn=Organisation.objects.get(code=pcn),
        name=name,
        role=role,
        afc_band="7",
        wte=Decimal(wte),
        start_date=start,
        end_date=end,
        employment_model="lead_practice",
        employer_ods="A00001",
        base_practice="A00001",
        monthly_gross=Decimal(gross) if gross else None,
        monthly_employer_ni=Decimal(ni) if gross else None,
        monthly_employer_pension=Decimal(pension) if gross else None,
    )


def claim_form(member, month="2024-10", version="", gross="4000.00", ni="450.00",
               pension="575.00"):  # fmt: skip
    return {
        "action": "save",
        "month": month,
        f"version_{member.pk}": version,
        f"gross_{member.pk}": gross,
        f"ni_{member.pk}": ni,
        f"pension_{member.pk}": pension,
    }
