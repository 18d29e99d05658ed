"""A practice moves PCN on a date: every domain counts it where it was on its figure's date.

A00001 is in Alpha (U00001) until 30 September 2024 and in Beta (U00002) from 1 October 2024,
as the ODS ePCN workbook of January 2025 records; the 1 January 2022 map still lists it in
Alpha. Each domain's figure is about a date of its own (an IIF achievement date, a claim's
month, a forecast's month, a census, an alignment's start, a cohort's day) and must use the
registry's membership as at that date, and name the file it came from.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openpcn.data.registry.models import (
    DesPopulation,
    IngestedFile,
    Organisation,
    RegisteredPopulation,
    Relation,
)
from openpcn.data.registry.queries import membership_at

pytestmark = pytest.mark.django_db

BEFORE, MOVE = date(2024, 9, 30), date(2024, 10, 1)
EPCN = "ods_epcn_2025-01/ePCN.xlsx"
COUNTS = {"A00001": 10_000, "A00002": 20_000, "B00001": 40_000}
ALPHA, BETA = "U00001", "U00002"


def _file(folder: str, name: str, kind: str, as_of: date) -> IngestedFile:
    return IngestedFile.objects.create(
        name=name, path=f"/data/{folder}/{name}", sha256=f"{folder}/{name}", kind=kind, as_of=as_of
    )


@pytest.fixture
def moved(db):
    orgs = {
        code: Organisation.objects.create(code=code, kind=kind, name=code)
        for code, kind in [
            ("QAA", "icb"),
            (ALPHA, "pcn"),
            (BETA, "pcn"),
            ("A00001", "practice"),
            ("A00002", "practice"),
            ("B00001", "practice"),
        ]
    }
    old_map = _file(
        "nhsd_gp_reg_2022-01", "gp-reg-pat-prac-map.csv", "gp_reg_map", date(2022, 1, 1)
    )
    epcn = _file("ods_epcn_2025-01", "ePCN.xlsx", "ods_epcn", date(2025, 1, 20))

    def relate(child, parent, kind, source, start=None, end=None):
        Relation.objects.create(
            child=orgs[child],
            parent=orgs[parent],
            kind=kind,
            start=start,
            end=end,
            observed=source.as_of,
            source=source,
        )

    for child, parent in [("A00001", ALPHA), ("A00002", ALPHA), ("B00001", BETA)]:
        relate(child, parent, "pcn_member", old_map)  # the stale snapshot
    for code in (ALPHA, BETA, *COUNTS):
        relate(code, "QAA", "in_icb", old_map)
    opened = date(2019, 7, 1)
    relate("A00001", ALPHA, "pcn_member", epcn, opened, BEFORE)
    relate("A00001", BETA, "pcn_member", epcn, MOVE)
    relate("A00002", ALPHA, "pcn_member", epcn, opened)
    relate("B00001", BETA, "pcn_member", epcn, opened)
    for extract in (date(2024, 1, 1), date(2025, 1, 1)):
        counts = _file(
            f"nhsd_gp_reg_{extract:%Y-%m}", "gp-reg-pat-prac-all.csv", "gp_reg_all", extract
        )
        for code, n in COUNTS.items():
            RegisteredPopulation.objects.create(
                org=orgs[code],
                extract_date=extract,
                sex="ALL",
                age_kind="all",
                age="ALL",
                count=n,
                source=counts,
            )
    des = _file("nhse_des_2024-25", "pcn_data_2024-25.csv", "nhse_des_population", date(2024, 1, 1))
    for code, n in COUNTS.items():
        DesPopulation.objects.create(
            practice=orgs[code],
            financial_year="2024-25",
            pcn_code=BETA if code == "B00001" else ALPHA,  # the file's own (stale) column
            raw_list_size=n,
            adjusted_population=Decimal(n + 1000),
            weighted_population=Decimal(n + 2000),
            source=des,
        )
    return orgs


def test_registry_answers_each_date_from_the_dated_file(moved):
    before, after = membership_at(BEFORE), membership_at(MOVE)
    assert before.members_of(BETA) == ["B00001"]
    assert after.members_of(BETA) == ["A00001", "B00001"]
    assert before.source == after.source == EPCN  # not the older map
    assert after.describe() == f"{EPCN} (observed 2025-01-20) as at 2024-10-01"


def test_services_iif_rolls_up_on_the_achievement_date(moved):
    from openpcn.data.services import iif as presenters
    from openpcn.data.services.models import IifMeasure

    source = _file("nhsd_iif_2023-24", "IIF.csv", "nhsd_iif_achievement", date(2024, 3, 31))
    measures = {"A00001": (900, 1000), "A00002": (840, 1000), "B00001": (3000, 4000)}
    for line, (code, (num, den)) in enumerate(measures.items()):
        for measure, value in (("ACC-08 Numerator", num), ("ACC-08 Denominator", den)):
            IifMeasure.objects.create(
                achievement_date=date(2024, 3, 31),
                level="practice",
                org_code=code,
                ind_code="NCD026",
                measure=measure,
                value=value,
                line=2 + line,
                source=source,
            )
    presenters.clear()
    year = presenters.iif_year("2023-24")
    acc08 = {r.pcn_code: r for r in year.results if r.indicator == "ACC-08"}
    assert (acc08[ALPHA].numerator, acc08[ALPHA].denominator) == (1740, 2000)
    assert (acc08[BETA].numerator, acc08[BETA].denominator) == (3000, 4000)
    assert year.membership == f"{EPCN} (observed 2025-01-20) as at 2024-03-31"
    refs = {d.source: d for d in acc08[ALPHA].figure.data}
    assert "as at 2024-03-31" in refs[EPCN].description
    presenters.clear()


@pytest.mark.parametrize(
    ("on", "alpha", "beta", "beta_weighted"),
    [(date(2024, 4, 1), 30_000, 40_000, 42_000), (date(2024, 11, 1), 20_000, 50_000, 54_000)],
)
def test_finance_populations_on_the_figures_date(moved, on, alpha, beta, beta_weighted):
    from openpcn.data.finance import entitlements as presenters
    from openpcn.data.finance.ledger import list_size
    from openpcn.rules import load_year

    pops = presenters.populations("2024-25", on)
    assert (pops[ALPHA].registered, pops[BETA].registered) == (alpha, beta)
    assert f"as at {on}" in pops.membership_note and EPCN in pops.membership_note
    assert list_size(BETA, load_year("2024-25"), on) == beta  # a claim's month
    streams, _ = presenters.pcn_entitlements(BETA, "2024-25", beds=0, on=on)
    arrs = next(s for s in streams if s.stream == "arrs")
    assert arrs.parts[0].population == beta_weighted
    assert any(f"as at {on}" in d.description for d in arrs.data)


def test_entitlements_default_to_the_years_first_day(moved):
    from openpcn.data.finance import entitlements as presenters

    assert presenters.populations("2024-25")[BETA].practices == ("B00001",)


@pytest.mark.parametrize(
    ("census", "beta", "extract"),
    [(date(2024, 6, 30), 40_000, "2024-01-01"), (date(2024, 12, 31), 50_000, "2025-01-01")],
)
def test_workforce_benchmark_and_coverage(moved, census, beta, extract):
    from openpcn.data.workforce import benchmark as presenters
    from openpcn.data.workforce.models import NationalFte
    from openpcn.web.workforce.coverage import pcn_coverage

    nwrs = _file("nhsd_pcn_workforce", f"nwrs-{census}.csv", "nhsd_pcn_workforce", census)
    for pcn in (ALPHA, BETA):
        NationalFte.objects.create(
            census_date=census,
            pcn_code=pcn,
            pcn_name=pcn,
            icb_code="QAA",
            data_source="NWRS Staff",
            staff_group="Other Direct Patient Care staff",
            staff_role="Pharmacists",
            detailed_staff_role="Pharmacist",
            fte=Decimal(3),
            records=3,
            source=nwrs,
        )
    presenters.clear()
    bench = presenters.benchmark(census)
    assert bench.population[BETA] == beta
    assert f"{EPCN} (observed 2025-01-20) as at {extract}" in bench.population_source.description
    presenters.clear()
    _, names, _ = pcn_coverage(BETA, census)
    assert set(names) == ({"A00001", "B00001"} if census > MOVE else {"B00001"})


def test_services_enhanced_access_and_care_home_alignment(moved):
    from openpcn.data.services import care_homes as homes
    from openpcn.data.services.models import CareHome
    from openpcn.services.errors import ServicesError
    from openpcn.web.services.enhanced_access_page import requirement

    before, _ = requirement(BETA, date(2024, 6, 3))
    after, _ = requirement(BETA, date(2024, 11, 4))
    assert after.value / before.value == Decimal(52_000) / Decimal(41_000)  # adjusted lists
    assert "as at 2024-11-04" in after.data[0].description
    cqc = _file("cqc", "homes.csv", "cqc_care_homes", date(2024, 1, 1))
    home = CareHome.objects.create(location_id="1-1", name="Oak", beds=30, postcode="", source=cqc)
    beta, lead = moved[BETA], moved["A00001"]
    with pytest.raises(ServicesError, match="not a member practice of U00002 on 2024-09-30"):
        homes.align(home, beta, lead, BEFORE, "test")
    assert homes.align(home, beta, lead, MOVE, "test").lead_practice == lead


def test_population_cohorts_by_pcn(moved):
    from openpcn.data.population import cohorts as presenters

    assert presenters.members(BETA, BEFORE) == ["B00001"]
    assert presenters.members(BETA, MOVE) == ["A00001", "B00001"]
    assert presenters.pcn_of("A00001", BEFORE) == ALPHA
    assert presenters.members(BETA) == ["A00001", "B00001"]  # today: after the move
