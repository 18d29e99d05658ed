"""What a server computes at start-up (openpcn.web.site.start_up) is kept per data version: an
import after start-up shows its figures on the next visit, and nothing patient-level is kept
in, or served from, what every visitor shares."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from openpcn.data.registry.loaders import import_file
from openpcn.data.registry.national import _VIEWS, data_version
from openpcn.data.services import care_homes
from openpcn.web.site.start_up import warm

FIXTURES = Path(__file__).parents[1] / "registry" / "fixtures"


@pytest.fixture
def registry(db):
    import_file(FIXTURES / "map-2026-07.csv")
    import_file(FIXTURES / "all-2026-07.csv")
    yield
    care_homes._SUGGESTIONS.clear()  # keyed by data version, which a rolled-back test reuses


def population_shown(response) -> str:
    assert response.status_code == 200
    m = re.search(r'data-testid="pcn-population">([\d,]+)<', response.content.decode())
    assert m, "the PCN page shows no population"
    return m.group(1)


def august_extract(tmp_path, a00001_patients: int) -> Path:
    """The practice list file of a later month, as NHS England Digital publishes it."""
    rows = (FIXTURES / "all-2026-07.csv").read_text().splitlines()
    out = [rows[0]]
    for row in rows[1:]:
        row = row.replace("2026-07-01", "2026-08-01")
        if ",A00001," in row:
            row = row.rsplit(",", 1)[0] + f",{a00001_patients}"
        out.append(row)
    path = tmp_path / "gp-reg-pat-prac-all.csv"
    path.write_text("\n".join(out) + "\n")
    return path


def test_an_import_after_start_up_shows_its_figures_on_the_next_visit(registry, client, tmp_path):
    warm()
    assert (date.today(), data_version()) in _VIEWS  # start-up did compute today's view
    assert population_shown(client.get("/explore/pcn/U00001/")) == "35,000"  # 20,000 + 15,000

    import_file(august_extract(tmp_path, 21234))

    assert population_shown(client.get("/explore/pcn/U00001/")) == "36,234"  # 21,234 + 15,000


def test_a_signed_in_page_is_never_served_to_another_visitor(registry, client):
    from openpcn.data.accounts.users import create_user

    warm()
    client.force_login(create_user("lead-u00001", "pcn_lead", "U00001")[0])
    signed_in = client.get("/explore/pcn/U00001/")
    assert b'data-testid="sign-out"' in signed_in.content
    client.logout()
    visitor = client.get("/explore/pcn/U00001/")
    assert population_shown(visitor) == "35,000"
    assert b'data-testid="sign-out"' not in visitor.content


def test_start_up_keeps_no_patient_level_results(registry):
    from openpcn.data.population import cohorts, kept

    cohorts.clear()
    warm()
    assert cohorts._RESULTS == {} and cohorts._AGGREGATES == {} and cohorts._PATIENTS == {}
    assert kept._KEPT == {}


def test_start_up_without_a_rule_file_for_this_year_still_starts(registry, client, monkeypatch):
    from openpcn.core.fyear import FinancialYear

    monkeypatch.setattr(FinancialYear, "current", classmethod(lambda cls, today=None: cls(2040)))
    warm()
    assert population_shown(client.get("/explore/pcn/U00001/")) == "35,000"
