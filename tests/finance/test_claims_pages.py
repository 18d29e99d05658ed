"""Claims pages: drafts from the claims engine, the workflow (ICB commissioner decides, each
step audited), stale copies refused with nothing overwritten, and the Excel schedule."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from openpcn.data.accounts.models import AuditEvent
from openpcn.data.finance.models import Claim, ClaimEvent
from tests.finance.ledger_fixtures import claim_form, staff

pytestmark = pytest.mark.django_db
URL = "/network/U00001/finance/claims/"


def save(client, member, **kw):
    return client.post(URL, claim_form(member, **kw))


def test_draft_claim_is_computed_by_the_engine(client, users):
    member = staff()
    client.force_login(users["pcn_lead"])
    assert save(client, member).status_code == 302
    claim = Claim.objects.get()
    # pay + on-costs 5,025.00 at 100%; cap 65,838 (from 1 Oct 2024) x 1 WTE / 12 = 5,486.50
    assert claim.claimed_amount == Decimal("5025.00") and not claim.capped
    assert claim.cap == Decimal("5486.50")
    assert claim.status == "draft" and claim.version == 0
    assert ClaimEvent.objects.get(claim=claim).action == "created"
    assert AuditEvent.objects.filter(action="claim created", object_id=str(claim.pk)).exists()
    html = client.get(URL + "?month=2024-10").content.decode()
    assert "£5,025.00" in html and "How was this worked out?" in html


def test_claim_above_the_cap_is_capped(client, users):
    member = staff(gross="9000.00")
    client.force_login(users["pcn_lead"])
    save(client, member, gross="9000.00")
    claim = Claim.objects.get()
    assert claim.capped and claim.claimed_amount == claim.cap == Decimal("5486.50")


@pytest.mark.parametrize(
    ("role", "month", "words"),
    [
        ("health_wellbeing_coach", "2019-10", "not reimbursable under ARRS in 2019-20"),
        ("gp_assistant", "2022-09", "reimbursable in 2022-23 only from 2022-10-01"),
    ],
)
def test_claim_for_a_role_not_reimbursable_that_year_is_refused(client, users, role, month, words):
    member = staff(role=role, start=date(2019, 4, 1))
    client.force_login(users["pcn_lead"])
    response = save(client, member, month=month)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert words in html
    assert not Claim.objects.exists()


def test_claim_for_a_role_with_no_published_maximum_is_capped_by_its_actual_cost(client, users):
    # 2024-25 publishes no maximum for care co-ordinators from 1 Oct 2024, nor for other direct
    # patient care roles: their claims are saved, capped by actual pay + on-costs, and say why
    good = staff(name="A")
    cc = staff(role="care_coordinator", name="B")
    other = staff(role="other_direct_patient_care", name="C")
    client.force_login(users["pcn_lead"])
    form = {**claim_form(good), **claim_form(cc), **claim_form(other)}
    html = client.post(URL, form, follow=True).content.decode()
    assert "3 draft claims saved" in html and "There is a problem" not in html
    for member in (cc, other):
        claim = Claim.objects.get(staff=member)
        assert claim.claimed_amount == claim.cap == Decimal("5025.00") and not claim.capped
        assert "no maximum published" in claim.working
        assert "capped by actual salary plus employer on-costs" in claim.working


def test_pay_with_text_is_refused(client, users):
    member = staff()
    client.force_login(users["pcn_lead"])
    html = save(client, member, ni="450 quid").content.decode()
    assert "employer NI as an amount of money" in html and not Claim.objects.exists()


def test_stale_version_is_refused_and_nothing_overwritten(client, users):
    member = staff()
    client.force_login(users["pcn_lead"])
    save(client, member)  # version 0
    save(client, member, version="0", gross="4100.00")  # someone else: version 1
    claim = Claim.objects.get()
    assert claim.version == 1 and claim.gross_pay == Decimal("4100.00")
    # a copy read at version 0 (or before the claim existed) cannot overwrite it
    for version in ("0", ""):
        html = save(client, member, version=version, gross="1.00").content.decode()
        assert "changed by someone else" in html
    claim.refresh_from_db()
    assert claim.version == 1 and claim.gross_pay == Decimal("4100.00")
    # the same for a status change from a stale copy
    html = client.post(
        URL, {"action": "submit", "month": "2024-10", "claim": claim.pk, "version": "0"}
    ).content.decode()
    assert "changed by someone else" in html
    claim.refresh_from_db()
    assert claim.status == "draft"


def _submit(client, claim):
    return client.post(
        URL, {"action": "submit", "month": "2024-10", "claim": claim.pk, "version": claim.version}
    )


def test_only_the_icb_commissioner_approves_or_rejects_and_each_step_is_audited(client, users):
    member = staff()
    client.force_login(users["pcn_lead"])
    save(client, member)
    claim = Claim.objects.get()
    assert _submit(client, claim).status_code == 302
    claim.refresh_from_db()
    assert claim.status == "submitted" and claim.version == 1
    decide = {"month": "2024-10", "claim": claim.pk, "version": 1}
    for role in ("pcn_lead", "admin"):
        client.force_login(users[role])
        assert client.post(URL, {**decide, "action": "approve"}).status_code == 403
    client.force_login(users["icb_commissioner"])
    html = client.post(URL, {**decide, "action": "reject"}).content.decode()
    assert "a rejection needs a reason" in html.lower()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    reason = "Pay slip for October missing"
    assert client.post(URL, {**decide, "action": "reject", "reason": reason}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.reason == reason and claim.version == 2
    event = AuditEvent.objects.get(action="claim rejected")
    assert event.username == "user-icb_commissioner" and event.detail["reason"] == reason
    # the PCN reopens, corrects and resubmits; the commissioner approves
    client.force_login(users["pcn_lead"])
    client.post(URL, {"action": "reopen", "month": "2024-10", "claim": claim.pk, "version": 2})
    save(client, member, version="3", gross="3900.00")
    claim.refresh_from_db()
    _submit(client, claim)
    client.force_login(users["icb_commissioner"])
    client.post(URL, {**decide, "action": "approve", "version": 5})
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.gross_pay == Decimal("3900.00")
    history = list(ClaimEvent.objects.filter(claim=claim).values_list("action", flat=True))
    assert history == ["created", "submitted", "rejected", "draft", "updated", "submitted",
                       "approved"]  # fmt: skip
    # approved is final
    client.force_login(users["pcn_lead"])
    html = save(client, member, version="6", gross="1.00").content.decode()
    assert "There is a problem" in html
    claim.refresh_from_db()
    assert claim.version == 6 and claim.gross_pay == Decimal("3900.00")
    # the API shows the same claim
    rows = client.get("/api/finance/claims/U00001?month=2024-10").json()
    assert rows[0]["claim"]["status"] == "approved" and rows[0]["claim"]["version"] == 6


def test_commissioner_of_another_icb_cannot_decide(client, users):
    from openpcn.data.accounts.users import create_user
    from tests.conftest import PASSWORD

    other = create_user("other-icb", "icb_commissioner", "QBB", PASSWORD)[0]
    client.force_login(other)
    assert client.get(URL).status_code == 403


def test_excel_schedule_opens_and_has_sources(client, users):
    a = staff()
    b = staff(role="pharmacy_technician", name="Jo Bloggs", gross="2500.00")
    client.force_login(users["pcn_lead"])
    form = {**claim_form(a), **{k: v for k, v in claim_form(b, gross="2500.00").items()}}
    assert client.post(URL, form).status_code == 302
    response = client.get("/network/U00001/finance/claims/schedule.xlsx?month=2024-10")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Claims", "Sources"]
    rows = list(wb["Claims"].iter_rows(values_only=True))
    ids = {r[1] for r in rows[2:-1]}
    assert ids == {a.staff_id, b.staff_id}
    total = rows[-1][13]
    assert Decimal(str(total)) == sum(c.claimed_amount for c in Claim.objects.all())
    keys = {r[1] for r in wb["Sources"].iter_rows(min_row=2, values_only=True)}
    assert "arrs_max_reimbursement.clinical_pharmacist" in keys
    missing = client.get("/network/U00001/finance/claims/schedule.xlsx?month=2023-01")
    assert missing.status_code == 404 and b"has no claims" in missing.content
    assert client.get(URL + "?month=October").status_code == 404
