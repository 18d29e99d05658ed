"""ICB overlays in the product: saved versions (append-only, audited), the rules for a PCN,
the overlay page and the rule-diff page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.rules import overlays as overlays_db
from openpcn.data.rules.models import OverlayVersion
from openpcn.finance.entitlements import entitlements
from openpcn.finance.populations import from_records
from openpcn.rules import load_year
from openpcn.rules.overlays import OverlayError
from tests.finance.conftest import practice

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "overlays" / "2025-26" / "QAA.yaml"
TEXT = FIXTURE.read_text()
URL = "/icb/QAA/rules/?year=2025-26"


@pytest.fixture(autouse=True)
def _fresh():
    overlays_db.clear()
    yield
    overlays_db.clear()


def pops():
    """U00001 (ICB QAA): adjusted 11,000; U00002 (ICB QBB in the test tree): adjusted 3,000."""
    rows = [
        practice("A00001", "U00001", 6000, 6500, 7000, "2025-26"),
        practice("A00002", "U00001", 4000, 4500, 5000, "2025-26"),
        practice("B00001", "U00002", 3000, 3000, 3000, "2025-26"),
    ]
    return from_records(rows, "tiny_2025-26.csv", date(2025, 1, 1))


def test_save_is_a_new_version_with_an_audit_row(users):
    commissioner = users["icb_commissioner"]
    first, _ = overlays_db.save_overlay("QAA", "2025-26", TEXT, user=commissioner, comment="v1")
    second, overlay = overlays_db.save_overlay(
        "qaa", "2025-26", TEXT.replace('"150.00"', '"155.00"'), user=commissioner, comment="v2"
    )
    assert (first.version, second.version) == (1, 2)
    assert overlays_db.effective_overlay("QAA", "2025-26").version == "version 2"
    assert [h.version for h in overlays_db.history("QAA", "2025-26")] == [2, 1]
    events = AuditEvent.objects.filter(action="rules_overlay_saved").order_by("at", "id")
    assert [e.object_id for e in events] == ["QAA 2025-26 v1", "QAA 2025-26 v2"]
    assert events[0].username == commissioner.username and events[1].detail["comment"] == "v2"
    with pytest.raises(PermissionError):
        first.comment = "changed"
        first.save()
    with pytest.raises(PermissionError):
        OverlayVersion.objects.all().delete()


def test_invalid_save_leaves_nothing(users):
    bad = TEXT.replace('"150.00"', '"-1"')
    with pytest.raises(OverlayError, match="line 13.*field 'value' must not be negative"):
        overlays_db.save_overlay("QAA", "2025-26", bad, user=users["icb_commissioner"])
    with pytest.raises(OverlayError, match="field 'icb' is QAA, not QBB"):
        overlays_db.save_overlay("QBB", "2025-26", TEXT, user=users["admin"])
    assert not OverlayVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="rules_overlay_saved").exists()


def test_rules_for_a_pcn_in_the_icb_and_outside_it(users):
    overlays_db.save_overlay("QAA", "2025-26", TEXT, user=users["icb_commissioner"])
    inside = overlays_db.rules_for_pcn("U00001", "2025-26")
    outside = overlays_db.rules_for_pcn("U00002", "2025-26")
    assert outside is load_year("2025-26")
    day = date(2025, 11, 1)
    assert inside.value("enhanced_access_per_adjusted_patient", day).value == Decimal("9.000")
    assert outside.value("enhanced_access_per_adjusted_patient", day).value == Decimal("8.427")
    assert overlays_db.rules_for_pcn_on("U00001", day) is inside

    data = pops()
    ea_in = next(s for s in entitlements("U00001", inside, data) if s.stream == "enhanced_access")
    ea_out = next(s for s in entitlements("U00002", outside, data) if s.stream == "enhanced_access")
    # U00001: 6/12 x 8.427 x 11,000 + 6/12 x 9.000 x 11,000; U00002: 8.427 x 3,000
    assert ea_in.annual_amount == Decimal("46348.50") + Decimal("49500.00")
    assert ea_out.annual_amount == Decimal("25281.00")
    assert "varied by NHS Alpha Integrated Care Board (QAA) from 1 October 2025" in (
        ea_in.figure.method
    )
    assert "varied by" not in ea_out.figure.method
    assert not any(r.varied_by for r in ea_out.figure.rules)


def test_the_file_is_in_force_until_a_version_is_saved(users, tmp_path, monkeypatch):
    import shutil

    from openpcn.rules.loader import DATA_DIR

    for name in ("2025-26.yaml", "sources.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    (tmp_path / "overlays" / "2025-26").mkdir(parents=True)
    shutil.copy(FIXTURE, tmp_path / "overlays" / "2025-26" / "QAA.yaml")
    monkeypatch.setenv("OPENPCN_RULES_DIR", str(tmp_path))
    assert overlays_db.effective_overlay("QAA", "2025-26").version == "file QAA.yaml"
    overlays_db.save_overlay("QAA", "2025-26", TEXT, user=users["admin"])
    assert overlays_db.effective_overlay("QAA", "2025-26").version == "version 1"


def test_page_shows_the_overlay_and_saves_a_version(client, users):
    client.force_login(users["icb_commissioner"])
    html = client.get(URL).content.decode()
    assert "No local variation" in html and "rows: []" in html
    response = client.post(URL, {"text": TEXT, "comment": "Frailty clinics from October"})
    assert response.status_code == 302
    assert OverlayVersion.objects.get().comment == "Frailty clinics from October"
    assert AuditEvent.objects.filter(action="rules_overlay_saved", object_id="QAA 2025-26 v1")
    html = client.get(URL).content.decode()
    assert "Saved as version 1" in html
    assert "Enhanced Access: £9.000 per adjusted patient from 1 October 2025 instead of" in html
    assert "user-icb_commissioner" in html and "Frailty clinics from October" in html
    assert "/icb/QAA/rules/" in client.get("/icb/QAA/").content.decode()


def test_page_invalid_save_shows_line_and_field_and_saves_nothing(client, users):
    client.force_login(users["admin"])
    bad = TEXT.replace("applies_from: 2025-10-01", "applies_from: 2026-10-01")
    response = client.post(URL, {"text": bad, "comment": "oops"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was saved" in html
    assert "line 12" in html and "field &#39;applies_from&#39; 2026-10-01 is outside 2025-26" in (
        html
    )
    assert "2026-10-01" in html  # the text is kept for fixing
    assert not OverlayVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="rules_overlay_saved").exists()


def test_page_refused_for_another_icbs_commissioner_and_pcn_leads(client, users):
    from openpcn.data.accounts.users import create_user
    from tests.conftest import PASSWORD

    beta = create_user("beta-commissioner", "icb_commissioner", "QBB", PASSWORD)[0]
    client.force_login(beta)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": TEXT}).status_code == 403
    assert client.get("/icb/QBB/rules/?year=2025-26").status_code == 200
    client.force_login(users["pcn_lead"])
    assert client.get(URL).status_code == 403
    assert not OverlayVersion.objects.exists()


def test_diff_page_in_words(client):
    html = client.get("/rules/diff/?from=2024-25&to=2025-26").content.decode()
    assert "What changed in the rules from 2024-25 to 2025-26" in html
    assert "Enhanced Access: £7.975 per adjusted patient in 2024-25; £8.427 in 2025-26" in html
    for topic in ("ARRS", "Roles", "Payments", "IIF"):
        assert f'<h2 id="topic-{topic.lower()}">{topic}</h2>' in html
    assert client.get("/rules/diff/?from=1999-00").status_code == 404


def test_diff_page_defaults_to_the_previous_and_current_year(client):
    from openpcn.core.fyear import FinancialYear

    to = FinancialYear.current()
    before = FinancialYear(to.start_year - 1)
    html = client.get("/rules/diff/").content.decode()
    assert f"What changed in the rules from {before} to {to}" in html


def test_without_this_years_file_the_pages_name_it(client, monkeypatch):
    """No silent fall-back to another year: the diff and overlay pages name the missing file
    (as the year page does), and a year asked for by name still works."""
    from openpcn.core.fyear import FinancialYear

    monkeypatch.setattr(FinancialYear, "current", classmethod(lambda cls, today=None: cls(2031)))
    page = client.get("/rules/diff/")
    assert page.status_code == 404
    assert "no rule file for 2031-32 (2031-32.yaml is missing" in page.content.decode()
    named = client.get("/rules/diff/?to=2025-26").content.decode()
    assert "What changed in the rules from 2024-25 to 2025-26" in named


def test_the_database_refuses_changing_a_saved_version(users):
    from django.db import DatabaseError, connection, transaction

    saved, _ = overlays_db.save_overlay("QAA", "2025-26", TEXT, user=users["admin"])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        # past the model's own refusal, straight to the table
        cursor.execute(
            "UPDATE rules_overlays_overlayversion SET text = 'x' WHERE id = %s", [saved.pk]
        )
    users["admin"].delete()  # a user may go; the version keeps their name
    saved = OverlayVersion.objects.get(pk=saved.pk)
    assert saved.author is None and saved.author_name == "user-admin"


def test_finance_cli_uses_and_names_the_overlay(users):
    import json

    from typer.testing import CliRunner

    from openpcn.cli.finance import app

    des = Path(__file__).parents[1] / "registry" / "fixtures" / "des-2025-26.csv"
    args = ["entitlements", "--year", "2025-26", "--population-file", str(des), "--format", "json"]
    before = json.loads(CliRunner().invoke(app, args).stdout)
    overlays_db.save_overlay("QAA", "2025-26", TEXT, user=users["admin"])
    result = CliRunner().invoke(app, [*args, "--pcn", "U00001"])
    assert result.exit_code == 0, result.output
    ea = next(r for r in json.loads(result.stdout) if r["stream"] == "enhanced_access")
    national = next(
        r for r in before if r["pcn_code"] == "U00001" and r["stream"] == "enhanced_access"
    )
    # adjusted 34,600: 6/12 x 8.427 + 6/12 x 9.000 rather than 8.427 for the year
    assert national["annual_amount"] == "291574.20"
    assert ea["annual_amount"] == str(Decimal("145787.10") + Decimal("155700.00"))
    assert "varied by NHS Alpha Integrated Care Board (QAA) from 1 October 2025" in ea["notes"]
    assert "ICB local variations apply to 1 PCN(s)" in result.stderr
    every = json.loads(CliRunner().invoke(app, args).stdout)
    after = {(r["pcn_code"], r["stream"]): r for r in every}
    assert after[("U00001", "enhanced_access")]["annual_amount"] == ea["annual_amount"]


def test_arrs_claims_cap_with_the_icbs_maximum(users):
    from openpcn.data.finance.ledger import rules_for

    cp = (
        '  - {key: arrs_max_reimbursement.clinical_pharmacist, value: "70000",'
        " unit: GBP_per_wte_per_year, basis: wte, applies_from: 2025-05-01,"
        " source: [ALPHA-LVA], verified: false}\n"
    )
    overlays_db.save_overlay("QAA", "2025-26", TEXT + cp, user=users["admin"])
    june, april = date(2025, 6, 1), date(2025, 4, 1)
    inside = rules_for(june, "U00001")
    assert inside.max_reimbursement("clinical_pharmacist", june).value == Decimal("70000")
    assert inside.max_reimbursement("clinical_pharmacist", april).value == Decimal("66972")
    outside = rules_for(june, "U00002")
    assert outside.max_reimbursement("clinical_pharmacist", june).value == Decimal("66972")
    assert rules_for(june) is load_year("2025-26")


def test_entitlements_page_uses_and_names_the_overlay(client, users):
    from openpcn.data.finance import entitlements as entitlements_db
    from openpcn.data.registry.loaders import import_file

    fixtures = Path(__file__).parents[1] / "registry" / "fixtures"
    entitlements_db.clear()
    for name in ("map-2026-07.csv", "all-2026-07.csv", "des-2025-26.csv"):
        import_file(fixtures / name)
    client.force_login(users["pcn_lead"])
    page = "/network/U00001/finance/?year=2025-26"
    before = client.get(page).content.decode()
    assert "varied by" not in before and "£291,574.20" in before  # 8.427 x 34,600
    overlays_db.save_overlay("QAA", "2025-26", TEXT, user=users["icb_commissioner"])
    after = client.get(page).content.decode()
    assert "£301,487.10" in after  # 145,787.10 + 155,700.00
    assert 'data-testid="variations"' in after and 'data-testid="variations"' not in before
    assert "national rule, varied by NHS Alpha Integrated Care Board (QAA) from 1 October 2025" in (
        after
    )
    api = client.get("/api/finance/entitlements/U00001?year=2025-26").json()
    ea = next(r for r in api if r["stream"] == "enhanced_access")
    assert any(r["varied_by"] for r in ea["figure"]["rules"])
    entitlements_db.clear()


def test_a_version_that_stops_validating_is_shown_to_fix(client, users, monkeypatch):
    overlays_db.save_overlay("QAA", "2025-26", TEXT, user=users["admin"])
    overlays_db.clear()

    def broken(*args, **kwargs):
        raise OverlayError("QAA 2025-26 version 1 line 12, row 'x' (#0): field 'key' no longer")

    monkeypatch.setattr(overlays_db, "parse_overlay", broken)
    client.force_login(users["icb_commissioner"])
    html = client.get(URL).content.decode()
    assert "does not validate against the national rules" in html and "no longer" in html
    assert "Alpha frailty and care home variation (test)" in html  # the text, to fix
    with pytest.raises(OverlayError):  # figures refuse rather than fall back to national
        overlays_db.rules_for_pcn("U00001", "2025-26")
