"""Generator: deterministic, test-range NHS numbers, labelled synthetic, QOF-plausible."""

from __future__ import annotations

import nhs_number
import pytest

from openpcn.population import generator, sources
from openpcn.population.schema import load_dataset


@pytest.fixture(scope="module")
def gen(tmp_path_factory):
    """A generated population of 10 real practices at full size: 107,913 patients."""
    practices = sources.select_practices(n=10, seed=11)
    out = tmp_path_factory.mktemp("gen")
    meta = generator.generate_dataset(out, practices, seed=11)
    return out, practices, meta


def test_deterministic_by_seed():
    ps = sources.select_practices(n=1, seed=5)
    a = generator.generate(ps, 5, scale=0.2)
    b = generator.generate(ps, 5, scale=0.2)
    c = generator.generate(ps, 6, scale=0.2)
    assert all(a[t].equals(b[t]) for t in a)
    assert not a["clinical_events"].equals(c["clinical_events"])


def test_labelled_synthetic_and_test_range_nhs_numbers(gen):
    out, _ps, meta = gen
    ds = load_dataset(out)
    assert ds.synthetic and "SYNTHETIC" in meta["label"]
    nums = ds.table("patients")["nhs_number"].to_pylist()
    assert len(set(nums)) == len(nums)
    assert all(n.startswith("999") and nhs_number.is_valid(n) for n in nums[:2000])


def test_age_sex_counts_match_practice(gen):
    out, ps, _ = gen
    ds = load_dataset(out)
    got = ds.con.sql("select count(*) from patients").fetchall()[0][0]
    want = sum(sum(sources.practice_age_sex()[p].values()) for p in ps)
    assert got == want
    assert got >= 100_000  # the plausibility check is on a 100k population


def test_prevalence_within_10pct_of_qof(gen):
    out, ps, _ = gen
    ds = load_dataset(out)
    from openpcn.population.codelists import read_codelist

    qof = sources.qof_prevalence()
    for group in generator.CONDITIONS:
        ref, *_ = generator.CONDITIONS[group]
        codes = ",".join(f"'{c}'" for c in read_codelist(ref))
        n = ds.con.sql(
            f"select count(distinct patient_id) from clinical_events where code in ({codes})"
        ).fetchall()[0][0]
        reg = sum(qof[p][group][0] for p in ps)  # generated lists are full size (scale 1)
        assert abs(n - reg) / reg < 0.10, group


def test_efi_category_shares_over_65_plausible(gen):
    """Reference (Clegg 2016, unverified): about 50% fit, 35% mild, 12% moderate, 3% severe."""
    from openpcn.population.engines import run_definitions

    out, _ps, _ = gen
    cats = run_definitions(out, "duckdb", names=["efi"])["efi"]["category"].to_pylist()
    cats = [c for c in cats if c]
    share = {k: cats.count(k) / len(cats) for k in ("fit", "mild", "moderate", "severe")}
    assert 0.40 <= share["fit"] <= 0.65
    assert 0.25 <= share["mild"] <= 0.42
    assert 0.05 <= share["moderate"] <= 0.16
    assert 0.01 <= share["severe"] <= 0.06
