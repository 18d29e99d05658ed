"""Patient lists fit for clinical use: every cohort in clinicians' words, denominators shown
as denominators, coded values in words, long lists paged with a notice (issue 19)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.cache import cache

from openpcn.data.population import cohorts as presenters
from openpcn.data.population.datasets import register
from openpcn.population.definitions import KINDS, load_all
from openpcn.population.words import group_words
from openpcn.web.population.worklist_page import PAGE_SIZE, page_of
from tests.population.conftest import INDEX, make_dataset

pytestmark = pytest.mark.django_db
AMIODARONE = "318186003"  # pincer-amio.csv: "Amiodarone 100mg tablets"


def test_every_cohort_has_words_and_a_kind():
    for d in load_all():
        for cohort in d.cohorts:
            label = d.labels[cohort]
            assert label.label and label.label != cohort and label.kind in KINDS
        assert d.shown_cohorts, d.name
    pincer = next(d for d in load_all() if d.name == "pincer")
    assert "no_ppi" not in pincer.shown_cohorts  # a building block, never shown as a hazard
    assert pincer.labels["den_ac"].kind == "denominator"
    assert pincer.labels["ac"].denominator == "den_ac"


@pytest.mark.parametrize(
    ("by", "key", "words"),
    [
        ("ethnicity", "A", "White: British (A)"),
        ("ethnicity", "N", "Black or Black British: African (N)"),
        ("ethnicity", "unknown", "Not recorded"),
        ("sex", "F", "Female"),
        ("imd_quintile", "1", "Quintile 1 (most deprived)"),
    ],
)
def test_coded_values_in_words(by, key, words):
    assert group_words(by, key) == words


@pytest.mark.parametrize(
    ("n", "page", "first", "last", "pages"),
    [(0, None, 0, 0, 1), (250, None, 1, 100, 3), (250, "3", 201, 250, 3), (250, "9", 201, 250, 3),
     (250, "x", 1, 100, 3), (100, "2", 1, 100, 1)],
)  # fmt: skip
def test_paging(n, page, first, last, pages):
    shown, info = page_of(list(range(n)), page)
    assert (info["first"], info["last"], info["pages"], info["total"]) == (first, last, pages, n)
    assert len(shown) == (last - first + 1 if n else 0)


@pytest.fixture
def big(users, tmp_path):
    presenters.clear()
    cache.clear()
    n = PAGE_SIZE + 30
    patients = [{"id": i, "age": 70, "practice": "A00001"} for i in range(n)]
    # cohorts are worked out as at today: issues 250 and 20 days before today
    shift = (date.today() - INDEX).days
    meds = [(i, AMIODARONE, 250 - shift) for i in range(n)]
    meds += [(i, AMIODARONE, 20 - shift) for i in range(n)]
    path = make_dataset(tmp_path / "ds", patients, meds=meds)
    meta = json.loads((path / "metadata.json").read_text())
    meta.update(synthetic=True, label="SYNTHETIC test", patients=n)
    (path / "metadata.json").write_text(json.dumps(meta, default=str))
    yield register("U00001", path), n
    presenters.clear()


def test_long_list_is_paged_with_a_notice_and_reasons_in_words(client, users, big):
    _ds, n = big
    client.force_login(users["pcn_lead"])
    overview = client.get("/network/U00001/population/").content.decode()
    assert "PINCER AM: amiodarone without a thyroid function test" in overview
    assert "of " in overview and "on amiodarone for 6 months or more" in overview
    assert ">no_ppi<" not in overview and ">den_am<" not in overview
    url = "/network/U00001/population/worklist/?definition=pincer&cohort=am&purpose=direct_care"
    body = client.get(url).content.decode()
    assert f'<span data-testid="patient-count">{n}</span>' in body
    assert "showing 1 to 100" in body and "page 1 of 2" in body
    assert "Amiodarone 100mg tablets" in body and f"(code {AMIODARONE})" in body
    assert body.count('data-testid="record-') == 0  # not the SMR list: no review buttons
    second = client.get(url + "&page=2").content.decode()
    assert "showing 101 to 130" in second and 'data-testid="previous"' in second
    csv = client.get(url + "&format=csv").content.decode()
    assert csv.count("\n") == n + 2  # synthetic banner, header, every patient
    assert "Amiodarone 100mg tablets" in csv


def test_each_cohort_count_says_how_it_was_worked_out(client, users, big):
    client.force_login(users["pcn_lead"])
    body = client.get("/network/U00001/population/").content.decode()
    assert body.count('data-testid="explain"') >= 20
    assert "How was this worked out?" in body and "pincer.yaml" in body
    assert "pincer/amio" in body  # the code list file the count used
