"""The demo seed on real files: practice lists, NHS England's 2024/25 population file and the
June 2026 NWRS census (skipped when the shared data directory is absent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.finance import entitlements
from openpcn.data.finance.demo import nwrs_roles, posts, seed_demo
from openpcn.data.finance.forecast import pcn_forecast
from openpcn.data.finance.models import Claim, StaffMember
from openpcn.data.registry.loaders import import_file

pytestmark = pytest.mark.django_db
FILES = [
    "ods_epraccur_2023-01/epraccur.csv",
    "ods_epraccur_2026-06/epraccur.csv",
    "nhsd_gp_reg_2025-04/gp-reg-pat-prac-all.csv",
    "nhsd_gp_reg_2026-07/gp-reg-pat-prac-map.csv",
    "nhse_pcn_adjusted_population_2025-26/pcn_data_2024-25_weighted.csv",
    "nhsd_pcn_workforce_2026-06/pcn-workforce-individual-level-2026-06.csv",
]


def test_demo_seed_from_real_nwrs_roles(data_dir):
    for name in FILES:
        if not (data_dir / name).exists():
            pytest.skip(f"{name} is absent from {data_dir}")
        import_file(data_dir / name)
    entitlements.clear()
    pops = entitlements.populations("2024-25")
    code = next(c for c in sorted(pops.pcns) if nwrs_roles(c)[1])
    census, roles = nwrs_roles(code)
    summary = seed_demo(code, "2024-25")
    assert summary.census == census == date(2026, 6, 30)
    assert summary.staff_created == sum(len(posts(f)) for f in roles.values()) > 0
    assert StaffMember.objects.filter(pcn__code=code, demo=True).count() == summary.staff_created
    claims = Claim.objects.filter(staff__pcn__code=code)
    assert claims.count() == summary.claims_created > 0
    assert all(c.claimed_amount <= c.cap for c in claims)
    # every post whose role the rules can cost all year is claimed for all 12 months
    pharmacists = claims.filter(staff__role="clinical_pharmacist")
    if "clinical_pharmacist" in roles:
        per_member = {c.staff_id for c in pharmacists}
        assert pharmacists.count() == 12 * len(per_member)
    again = seed_demo(code, "2024-25")
    assert (again.staff_created, again.claims_created) == (0, 0)
    result = pcn_forecast(code, "2024-25", date(2024, 10, 15))
    pot = result.forecast.pots["arrs"]
    claimed = sum(
        (c.claimed_amount for c in claims if c.month < date(2024, 10, 1)), Decimal("0.00")
    )
    assert pot.actual == claimed and pot.sum > 0
