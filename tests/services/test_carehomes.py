"""CQC care homes parser, alignment (suggestions, conflicts), premium and weekly rounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.core.figures import RuleRef
from openpcn.services.alignment import (
    Alignment,
    AlignmentBook,
    Practice,
    check_alignments,
    suggest,
)
from openpcn.services.carehome_money import care_home_premium, overdue_rounds
from openpcn.services.cqc import CareHome, parse_care_homes
from openpcn.services.errors import AlignmentConflict, DataFileError, ServicesError
from openpcn.services.postcodes import Postcode, similarity

HEADER = (
    "Location ID,Location HSCA start date,Care home?,Location Name,Care homes beds,"
    "Location Region,Location Local Authority,Location Postal Code,Location Latitude,"
    "Location Longitude,Provider Nominated Individual Name,"
    "Service type - Care home service with nursing,"
    "Service type - Care home service without nursing,Service user band - Older People,"
    "Service user band - Dementia\n"
)
GOOD = (
    "1-100000001,2010-10-01,Y,Oak House,45,London,Barnet,N12 8NP,51.61,-0.17,Secret Person,Y,,Y,Y\n"
)


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "homes.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def test_parses_and_drops_personal_names(tmp_path):
    (home,) = parse_care_homes(write(tmp_path, GOOD))
    assert home.location_id == "1-100000001" and home.beds == 45
    assert home.with_nursing and not home.without_nursing and home.older_people
    assert home.service_user_bands == ("Older People", "Dementia")
    assert "Secret Person" not in repr(home)
    assert not hasattr(home, "provider_nominated_individual_name")


BAD = [
    (GOOD.replace(",45,", ",lots,"), "line 2, field Care homes beds: 'lots'"),
    (GOOD.replace(",45,", ",4.5,"), "line 2, field Care homes beds"),
    (GOOD.replace("1-100000001", "X-1"), "line 2, field Location ID: 'X-1'"),
    (GOOD.replace("51.61", "north"), "line 2, field Location Latitude: 'north'"),
    (GOOD.replace("51.61", "40.1"), "line 2, field Location Latitude: 40.1 is outside"),
    (GOOD.replace(",Y,Y\n", ",Y\n"), "line 2: 14 fields, header has 15"),
]


@pytest.mark.parametrize(("row", "message"), BAD)
def test_bad_rows_name_line_and_field(tmp_path, row, message):
    with pytest.raises(
        DataFileError, match="^homes.csv " + message.split(": ")[0].replace("(", r"\(")
    ):
        parse_care_homes(write(tmp_path, row))
    with pytest.raises(DataFileError) as info:
        parse_care_homes(write(tmp_path, row))
    assert message in str(info.value)
    assert "Secret Person" not in str(info.value)


def test_duplicate_location(tmp_path):
    with pytest.raises(DataFileError, match="line 3, field Location ID: duplicate"):
        parse_care_homes(write(tmp_path, GOOD, GOOD))


def test_missing_column(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text(HEADER.replace("Care homes beds", "Beds") + GOOD, encoding="utf-8")
    with pytest.raises(DataFileError, match="line 1, field Care homes beds: required column"):
        parse_care_homes(path)


@pytest.mark.slow
def test_real_cqc_file(raw):
    homes = parse_care_homes(raw / "cqc_care_homes_2021-03_virtuk" / "care_homes_cqc_with_beds.csv")
    # README: 15,403 homes, 458,947 beds, 4,382 with nursing, 10,913 older people
    assert len(homes) == 15403
    assert sum(h.beds for h in homes) == 458947
    assert sum(h.with_nursing for h in homes) == 4382
    assert sum(h.older_people for h in homes) == 10913
    assert all(Postcode.parse(h.postcode) for h in homes)


# postcode similarity table
SIM = [
    ("LS6 2AB", "LS6 2AB", "unit"),
    ("LS6 2AB", "ls62ab", "unit"),
    ("LS6 2AB", "LS6 2XY", "sector"),
    ("LS6 2AB", "LS6 3AB", "district"),
    ("LS6 2AB", "LS16 2AB", "area"),
    ("LS6 2AB", "L6 2AB", "none"),
    ("LS6 2AB", "not a postcode", "none"),
]


@pytest.mark.parametrize(("a", "b", "level"), SIM)
def test_postcode_similarity(a, b, level):
    assert similarity(Postcode.parse(a), Postcode.parse(b)) == level


def _home(postcode="LS6 2AB", lat=None, lon=None, beds=30, loc="1-200000001"):
    return CareHome(loc, "Home", beds, postcode, "", "", lat, lon, False, True, ())


def test_suggestions_rank_by_postcode_then_distance():
    practices = [
        Practice("P1", "U1", "LS16 5AA"),  # area only
        Practice("P2", "U2", "LS6 3ZZ", latitude=53.83, longitude=-1.58),  # district, far
        Practice("P3", "U3", "LS6 3QQ", latitude=53.82, longitude=-1.57),  # district, near
        Practice("P4", "U4", "LS6 2XY"),  # sector
        Practice("P5", "U5", "BD1 1AA"),  # nothing shared: not suggested
        Practice("P6", "U", "LS6 2AB"),  # not in a PCN: not suggested
    ]
    ranked = suggest(_home(lat=53.819, lon=-1.571), practices)
    assert [s.practice_code for s in ranked] == ["P4", "P3", "P2", "P1"]
    assert ranked[0].level == "sector" and ranked[0].distance_km is None
    assert ranked[1].distance_km < ranked[2].distance_km


def test_alignment_conflict_names_both_pcns():
    book = AlignmentBook()
    book.align("1-200000001", "U11111", "A11111")
    book.align("1-200000001", "U11111", "A11112")  # changing the lead within the PCN is fine
    with pytest.raises(AlignmentConflict, match="claimed by two PCNs: U11111 and U22222"):
        book.align("1-200000001", "U22222", "B22222")
    assert book.get("1-200000001").lead_practice == "A11112"


def test_lead_practice_must_be_a_member():
    book = AlignmentBook(members={"A1": "U1", "B1": "U2"})
    with pytest.raises(ServicesError, match="A1 is not a member of U2 \\(it is in U1\\)"):
        book.align("1-1000001", "U2", "A1")


# claims -> expected conflicts (home, first PCN, second PCN)
CONFLICTS = [
    ([("h1", "U1"), ("h2", "U2")], []),
    ([("h1", "U1"), ("h1", "U1")], []),
    ([("h1", "U1"), ("h1", "U2")], [("h1", "U1", "U2")]),
    (
        [("h1", "U1"), ("h1", "U2"), ("h1", "U2"), ("h1", "U3")],
        [("h1", "U1", "U2"), ("h1", "U1", "U3")],
    ),
]


@pytest.mark.parametrize(("claims", "expected"), CONFLICTS)
def test_check_alignments(claims, expected):
    found = check_alignments(Alignment(h, p, "X") for h, p in claims)
    assert [(c.location_id, *c.pcns) for c in found] == expected


RATE = RuleRef("2024-25", "care_home_premium_per_bed", Decimal("127.20"), "GBP_per_bed", "S18")


def test_premium_is_beds_times_rate():
    fig = care_home_premium(
        [_home(beds=45, loc="1-1000001"), _home(beds=12, loc="1-1000002")], RATE, pcn_code="U1"
    )
    assert fig.value == Decimal("7250.40")  # 57 x 127.20
    assert fig.rules == (RATE,) and fig.inputs[0].value == 57
    assert fig.as_dict()["value"] == "7250.40"


def test_premium_rejects_float_rate_and_duplicates():
    with pytest.raises(ServicesError, match="not a float"):
        care_home_premium([_home()], RuleRef("2024-25", "k", 127.2))
    with pytest.raises(ServicesError, match="listed twice"):
        care_home_premium([_home(), _home()], RATE)


def test_overdue_rounds_by_iso_week():
    planned = {("h1", (2025, 1)): 1, ("h1", (2025, 2)): 1, ("h2", (2025, 2)): 0}
    done = {("h1", (2025, 1)): 1, ("h2", (2025, 1)): 2}
    out = overdue_rounds(["h1", "h2"], planned, done, (2025, 1), (2025, 3))
    assert [(r.home, r.iso_week, r.planned) for r in out] == [
        ("h1", (2025, 2), 1),
        ("h2", (2025, 2), 0),
    ]
    # across the ISO year boundary: 2024 has 52 weeks, 2026 starts after week 53 of 2026? no
    out = overdue_rounds(["h"], {}, {}, (2024, 52), (2025, 2))
    assert [r.iso_week for r in out] == [(2024, 52), (2025, 1)]
    out = overdue_rounds(["h"], {}, {}, (2026, 52), (2027, 1))
    assert [r.iso_week for r in out] == [(2026, 52), (2026, 53)]


def test_iso_week_of_a_date():
    from openpcn.services.carehome_money import iso_week

    assert iso_week(date(2024, 12, 30)) == (2025, 1)


def _slow_level(a: str, b: str) -> str:
    """Obviously correct postcode comparison on normalised 'OUT IN' strings."""
    a, b = a.upper().replace(" ", ""), b.upper().replace(" ", "")
    out_a, in_a, out_b, in_b = a[:-3], a[-3:], b[:-3], b[-3:]
    area_a = "".join(ch for ch in out_a[:2] if ch.isalpha())
    area_b = "".join(ch for ch in out_b[:2] if ch.isalpha())
    if a == b:
        return "unit"
    if out_a == out_b and in_a[0] == in_b[0]:
        return "sector"
    if out_a == out_b:
        return "district"
    return "area" if area_a == area_b else "none"


@pytest.mark.slow
def test_real_suggestions_match_slow_reference(raw):
    from openpcn.registry.parsers import parse
    from openpcn.services.alignment import PracticeIndex

    members = parse(raw / "nhsd_gp_reg_2026-07" / "gp-reg-pat-prac-map.csv").records
    practices = [Practice(r.practice_code, r.pcn_code, r.postcode) for r in members]
    index = PracticeIndex(practices)
    homes = parse_care_homes(raw / "cqc_care_homes_2021-03_virtuk" / "care_homes_cqc_with_beds.csv")
    order = ["unit", "sector", "district", "area"]
    found = 0
    for home in homes[::150]:
        got = suggest(home, index, limit=3)
        ranked = sorted(
            (order.index(lvl), p.code)
            for p in practices
            if p.pcn_code != "U" and (lvl := _slow_level(home.postcode, p.postcode)) != "none"
        )
        assert [s.practice_code for s in got] == [code for _, code in ranked[:3]]
        found += bool(got)
    assert found >= 0.99 * len(homes[::150])


def test_premium_only_from_the_alignment_start_pro_rata_by_days():
    from datetime import date

    from openpcn.services.carehome_money import aligned_bed_years

    year = (date(2024, 4, 1), date(2025, 3, 31))  # 365 days
    homes = [_home(beds=30, loc="1-1"), _home(beds=10, loc="1-2"), _home(beds=5, loc="1-3")]
    periods = {
        "1-1": (date(2019, 1, 1), None),  # the whole year
        "1-2": (date(2024, 10, 1), None),  # 182 days of 365
        "1-3": (date(2025, 6, 1), None),  # aligned after the year: nothing
    }
    beds = aligned_bed_years(homes, periods, *year)
    assert beds == 30 + Decimal(10 * 182) / 365
    fig = care_home_premium(homes, RATE, periods=periods, year=year)
    assert fig.value == (RATE.value * beds).quantize(Decimal("0.01"))  # 3816.00 + 634.26
    assert fig.value == Decimal("4450.26")
    assert "182/365" in fig.method and "1-3" not in fig.method
    ended = {"1-1": (date(2019, 1, 1), date(2024, 4, 30))}  # 30 days of 365
    assert aligned_bed_years(homes[:1], ended, *year) == Decimal(30 * 30) / 365
