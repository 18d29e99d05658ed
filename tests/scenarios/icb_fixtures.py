"""An ICB of two PCNs for the ICB scenario tests: QAA holds U00001 (A00001, A00002, with the
small PCN's staff and vacancy) and U00003 (A00003); QBB holds U00002 (B00001)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

AS_AT = date(2024, 7, 1)
ICB = "QAA"


def second_pcn(orgs):
    """U00003 in QAA with one practice, A00003 (11,000 patients), in the 2024-25 file."""
    from openpcn.data.finance import entitlements
    from openpcn.data.registry.models import DesPopulation, IngestedFile, Organisation, Relation
    from openpcn.data.registry.queries import clear_memberships

    pcn = Organisation.objects.create(code="U00003", kind="pcn", name="Alpha South PCN")
    practice = Organisation.objects.create(code="A00003", kind="practice", name="Ash Surgery")
    for child, parent, kind in ((practice, pcn, "pcn_member"), (practice, orgs["QAA"], "in_icb"),
                                (pcn, orgs["QAA"], "in_icb")):  # fmt: skip
        Relation.objects.create(child=child, parent=parent, kind=kind, observed=date(2020, 1, 1))
    src = IngestedFile.objects.get(kind="des_population")
    DesPopulation.objects.create(
        practice=practice, financial_year="2024-25", pcn_code="U00003", pcn_name="",
        raw_list_size=11000, adjusted_population=Decimal(11500),
        weighted_population=Decimal(11800), source=src,
    )  # fmt: skip
    entitlements.clear()
    clear_memberships()
    return {"U00003": pcn, "A00003": practice}


def care_homes(orgs):
    """Oak (40 beds) aligned to U00001 since 2023; Elm (25 beds) aligned to no PCN."""
    from openpcn.data.registry.models import IngestedFile
    from openpcn.data.services.models import CareHome, CareHomeAlignment

    src = IngestedFile.objects.create(name="cqc.csv", path="test", sha256="c" * 64,
                                      kind="cqc_care_homes", as_of=date(2024, 1, 1))  # fmt: skip
    oak = CareHome.objects.create(location_id="1-001", name="Oak", beds=40, postcode="AA1 1AA",
                                  source=src, older_people=True)  # fmt: skip
    CareHome.objects.create(location_id="1-002", name="Elm", beds=25, postcode="AA1 1AB",
                            source=src, older_people=True)  # fmt: skip
    CareHomeAlignment.objects.create(home=oak, pcn=orgs["U00001"], lead_practice=orgs["A00001"],
                                     start=date(2023, 1, 1), aligned_by="test")  # fmt: skip
