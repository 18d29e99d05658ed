"""Synthetic population generator, deterministic by seed, fully vectorised (numpy/pyarrow).

Calibration (all read from ``$OPENPCN_DATA``):

- each practice's registered age x sex counts (NHS Digital, July 2026) give its patients;
- QOF 2024/25 registers: for each condition the practice's exact register count (scaled to the
  generated list) is drawn by weighted sampling without replacement among patients old enough
  for the register's list type; weights rise exponentially with age and, for hypertension and
  CKD, are multiplied when the patient is diabetic (co-occurrence);
- IMD 2025 decile of the practice (patients scatter +-1 decile around it);
- medicines follow conditions (PINCER dm+d lists) plus age-graded repeat medicines so that about
  a third of over-65s have >= 5 distinct medicines; hazards (e.g. NSAID without PPI) occur at
  low rates; observations (BP, eGFR, HbA1c, monitoring tests) where the cohorts need them;
- care-home residence about 2.5% of 65+ rising with age; NHS numbers from the 999 test range.

Every dataset's ``metadata.json`` says ``"synthetic": true``.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from . import sources
from .codelists import read_codelist
from .generator_calibration import CONDITIONS, ETHNICITY, HAZARD_LISTS, OTHER_DEFICITS
from .schema import write_dataset

EPOCH = date(1970, 1, 1)


def _days(d: date) -> int:
    return (d - EPOCH).days


def _nhs_numbers(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unique valid NHS numbers from the test range (modulus-11 check digit; 10 is skipped).

    Up to 800,000 patients: 999 + 6 digits + check (the 999 test range holds ~909k valid
    numbers). Larger datasets use 99 + 7 digits + check, still inside the synthetic/test range
    9000000000-9999999999 of the ``nhs-number`` package (REGION_SYNTHETIC).
    """
    prefix, width = (999, 6) if n <= 800_000 else (99, 7)
    pdigits = [int(d) for d in str(prefix)]
    out = np.empty(0, dtype=np.int64)
    while out.size < n:
        size = min(10**width, int((n - out.size) * 1.15) + 10)
        body = rng.choice(10**width, size=size, replace=False)
        cols = [np.full(body.size, d) for d in pdigits]
        cols += [(body // 10**k) % 10 for k in range(width - 1, -1, -1)]
        total = (np.stack(cols, 1) * np.arange(10, 1, -1)).sum(1)
        check = 11 - total % 11
        check[check == 11] = 0
        ok = check != 10
        nums = prefix * 10 ** (width + 1) + body[ok] * 10 + check[ok]
        out = np.unique(np.concatenate([out, nums]))
    return rng.permutation(out)[:n]


def _weighted_pick(rng, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of k items sampled without replacement proportional to weights."""
    k = int(min(k, (weights > 0).sum()))
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    keys = np.log(rng.random(weights.size)) / np.where(weights > 0, weights, 1e-300)
    return np.argpartition(-keys, k - 1)[:k]


def _codes(ref: str) -> np.ndarray:
    return np.array(sorted(read_codelist(ref)))


def _exclusive(ref: str) -> np.ndarray:
    """Codes of a condition list that are in no other generated list (so counts stay clean)."""
    refs = [r for r, *_ in CONDITIONS.values()] + [f"efi/{d}" for d in OTHER_DEFICITS]
    others = set().union(*(read_codelist(r) for r in refs if r != ref))
    mine = sorted(read_codelist(ref) - others)
    return np.array(mine) if mine else _codes(ref)


def generate(
    practices: list[str], seed: int, index_date: date = date(2026, 7, 1), scale: float = 1.0
) -> dict[str, pa.Table]:
    """Generate the four tables for the given practices (``scale`` shrinks every list)."""
    rng = np.random.default_rng(seed)
    agesex, qof, imd = (
        sources.practice_age_sex(),
        sources.qof_prevalence(),
        sources.practice_imd_decile(),
    )
    idx = _days(index_date)
    prac_idx, sexes, ages = [], [], []
    for i, code in enumerate(practices):
        for (sex, band), count in sorted(agesex[code].items()):
            n = int(round(count * scale))
            prac_idx.append(np.full(n, i))
            sexes.append(np.full(n, sex))
            lo = band * 5
            ages.append(rng.integers(lo, lo + (10 if band == 19 else 5), n))
    prac = np.concatenate(prac_idx)
    sex = np.concatenate(sexes)
    age = np.concatenate(ages)
    n = age.size
    pid = np.arange(1, n + 1, dtype=np.int64)
    birth = idx - age * 365 - rng.integers(0, 365, n) - 1
    frail = rng.normal(0, 1, n) + np.clip(age - 65, 0, None) * 0.04
    ev_pid, ev_code, ev_date, ev_val, ev_unit = [], [], [], [], []

    def add_events(mask_idx, codes, value=None, unit=None, recent=None):
        m = mask_idx.size
        if m == 0:
            return
        ev_pid.append(pid[mask_idx])
        ev_code.append(
            codes[rng.integers(0, codes.size, m)] if codes.size > 1 else np.full(m, codes[0])
        )
        if recent is None:  # diagnosis: any time since age 16 (or birth)
            start = np.maximum(birth[mask_idx] + 16 * 365, idx - 20 * 365)
            start = np.minimum(start, idx - 100)
            ev_date.append(rng.integers(start, idx - 30))
        else:
            ev_date.append(idx - rng.integers(0, recent, m))
        ev_val.append(np.full(m, np.nan) if value is None else value)
        ev_unit.append(np.full(m, unit, dtype=object))

    # conditions, exact practice register counts, diabetes first for co-occurrence
    has = {}
    for group, (ref, slope, dm_mult) in CONDITIONS.items():
        flag = np.zeros(n, dtype=bool)
        for i, code in enumerate(practices):
            reg, list_size, min_age = qof[code].get(group, (0, 1, 0))
            # register scaled to the generated list (QOF list size is the practice total)
            members = np.flatnonzero((prac == i) & (age >= min_age))
            total = np.count_nonzero(prac == i)
            if list_size <= 0 or members.size == 0:
                continue
            k = int(round(reg * total / sources_total(agesex[code])))
            w = np.exp(slope * (age[members] - 50).clip(-40, 45))
            if "DM" in has and dm_mult != 1.0:
                w = w * np.where(has["DM"][members], dm_mult, 1.0)
            flag[members[_weighted_pick(rng, w, k)]] = True
        has[group] = flag
        add_events(np.flatnonzero(flag), _exclusive(ref))
    for name, base in OTHER_DEFICITS.items():
        p = 1.6 * base * np.exp(0.6 * frail) * np.where(age >= 50, 1.0, 0.3)
        add_events(np.flatnonzero(rng.random(n) < np.clip(p, 0, 0.9)), _exclusive(f"efi/{name}"))
    care_home = (age >= 65) & (
        rng.random(n) < np.clip(0.004 * np.exp(0.09 * (age - 65)) * np.exp(0.4 * frail), 0, 0.6)
    )
    sev = np.flatnonzero((age >= 65) & (frail > 2.2) & (rng.random(n) < 0.3))
    add_events(sev, np.array(["925861000000102"]))
    # observations
    adults = age >= 18
    bp = np.flatnonzero(adults & ((rng.random(n) < 0.55) | has["HYP"]))
    sbp = 118 + 0.45 * (age[bp] - 30).clip(0) + rng.normal(0, 14, bp.size) + 8 * has["HYP"][bp]
    add_events(bp, np.array(["271649006"]), sbp.round(), "mm[Hg]", recent=700)
    add_events(
        bp,
        np.array(["271650006"]),
        (sbp * 0.58 + rng.normal(0, 6, bp.size)).round(),
        "mm[Hg]",
        recent=700,
    )
    eg = np.flatnonzero(
        (age >= 18) & ((age >= 65) | has["CKD"] | has["DM"] | has["HYP"]) & (rng.random(n) < 0.85)
    )
    egv = 100 - 0.7 * (age[eg] - 30).clip(0) + rng.normal(0, 12, eg.size) - 30 * has["CKD"][eg]
    add_events(
        eg, np.array(["1011481000000105"]), egv.clip(5, 130).round(), "mL/min/{1.73_m2}", recent=400
    )
    dm = np.flatnonzero(has["DM"])
    add_events(
        dm,
        np.array(["999791000000106"]),
        rng.normal(58, 12, dm.size).clip(30, 140).round(),
        "mmol/mol",
        recent=365,
    )
    # medicines: (patient index, dm+d code list, start days ago)
    meds_pid, meds_code, meds_start = [], [], []

    def add_meds(mask, ref, prob=1.0, start=(120, 2000)):
        sel = np.flatnonzero(mask & (rng.random(n) < prob))
        if sel.size:
            codes = _codes(ref)
            meds_pid.append(sel)
            meds_code.append(codes[rng.integers(0, codes.size, sel.size)])
            meds_start.append(rng.integers(*start, sel.size))
        return sel

    add_meds(has["HYP"] | has["HF"] | has["CKD"], "pincer/acei", 0.55)
    add_meds(has["HYP"] | has["HF"], "pincer/diur", 0.3)
    add_meds(has["AF"], "pincer/anticoag", 0.75)
    asp = add_meds(has["CHD"] | has["STIA"] | has["PAD"], "pincer/aspirin", 0.5)
    add_meds(has["CHD"] | has["STIA"], "pincer/non_asp_antiplate", 0.35)
    add_meds(age >= 60, "pincer/ppi", 0.25)
    add_meds(adults, "pincer/nsaid", 0.03 + 0.04 * (age >= 65), start=(30, 400))
    add_meds(has["AST"], "pincer/nsbb", 0.01)
    add_meds(has["RA"], "pincer/met", 0.25)
    lith = add_meds(adults, "pincer/lith", 0.002)
    add_meds(has["AF"], "pincer/amio", 0.03)
    add_meds(
        adults, "medrev/opensafely-addictive-medicines", 0.02 + 0.03 * (age >= 50), start=(30, 900)
    )
    add_meds(adults, "aurum/opioids_aurum", 0.03 + 0.03 * (age >= 65), start=(30, 900))
    avoid = set().union(*(read_codelist(r) for r in HAZARD_LISTS))
    filler = np.array(sorted(read_codelist("medrev/opensafely-teratogenic-medicines") - avoid))
    extra = rng.poisson(np.clip((age - 30) * 0.06, 0, None) * np.exp(0.25 * frail))
    ex_pid = np.repeat(np.arange(n), extra)
    if ex_pid.size:
        meds_pid.append(ex_pid)
        meds_code.append(filler[rng.integers(0, filler.size, ex_pid.size)])
        meds_start.append(rng.integers(60, 2000, ex_pid.size))
    # monitoring tests for monitored medicines
    all_mp = np.concatenate(meds_pid)
    on_acei = np.zeros(n, bool)
    on_acei[all_mp] = True
    mon = np.flatnonzero(on_acei & (age >= 65) & (rng.random(n) < 0.9))
    add_events(mon, _codes("pincer/renal"), recent=400)
    add_events(mon, _codes("pincer/electro"), recent=400)
    add_events(np.flatnonzero(has["RA"] & (rng.random(n) < 0.2)), _codes("pincer/fbc"), recent=90)
    add_events(np.flatnonzero(has["RA"] & (rng.random(n) < 0.2)), _codes("pincer/lft"), recent=90)
    add_events(lith[rng.random(lith.size) < 0.7], _codes("pincer/lith_lev"), recent=90)
    add_events(np.flatnonzero(has["AF"] & (rng.random(n) < 0.5)), _codes("pincer/tft"), recent=180)
    del asp
    # issues every 56 days from a start (days ago) up to a stop (0-60 days ago), within 15 months
    mp = np.concatenate(meds_pid)
    mc = np.concatenate(meds_code)
    start = np.minimum(np.concatenate(meds_start), idx - birth[mp])
    stop = rng.choice([0, 0, 0, 20, 120], size=mp.size)
    span = np.clip(np.minimum(start, 460) - stop, 0, None)
    n_iss = span // 56 + 1
    rep = np.repeat(np.arange(mp.size), n_iss)
    k = np.arange(rep.size) - np.repeat(np.cumsum(n_iss) - n_iss, n_iss)
    iss_date = idx - stop[rep] - k * 56 - rng.integers(0, 7, rep.size)
    # medication reviews: a third of over-65s and most care home residents in 12 months
    rv = np.flatnonzero(
        ((age >= 65) & (rng.random(n) < 0.33)) | (care_home & (rng.random(n) < 0.7))
    )
    decile = np.array([imd.get(c, 5) for c in practices])[prac] + rng.integers(-1, 2, n)
    eth = rng.choice(ETHNICITY[0], size=n, p=np.array(ETHNICITY[1]) / sum(ETHNICITY[1]))
    as_date = lambda a: pa.array(a.astype("int32"), pa.int32()).cast(pa.date32())  # noqa: E731
    nhs = _nhs_numbers(n, rng).astype(str)
    patients = pa.table(
        {
            "patient_id": pid,
            "nhs_number": nhs,
            "birth_date": as_date(birth),
            "sex": sex,
            "ethnicity": eth,
            "practice_code": np.array(practices)[prac],
            "registered_from": as_date(np.maximum(birth, idx - rng.integers(30, 20 * 365, n))),
            "registered_to": pa.nulls(n, pa.date32()),
            "lsoa": pa.nulls(n, pa.string()),
            "imd_decile": decile.clip(1, 10).astype(np.int8),
            "care_home": care_home,
        }
    )
    events = pa.table(
        {
            "patient_id": np.concatenate(ev_pid),
            "code": np.concatenate(ev_code),
            "date": as_date(np.concatenate(ev_date)),
            "value": pa.array(np.concatenate(ev_val), from_pandas=True),
            "unit": pa.array(np.concatenate(ev_unit), pa.string()),
        }
    )
    issues = pa.table(
        {
            "patient_id": pid[mp[rep]],
            "code": mc[rep],
            "date": as_date(iss_date),
            "quantity": np.full(rep.size, 56.0),
        }
    )
    reviews = pa.table(
        {
            "patient_id": pid[rv],
            "code": np.full(rv.size, "1239511000000100"),
            "date": as_date(idx - rng.integers(0, 365, rv.size)),
            "kind": np.full(rv.size, "SMR"),
        }
    )
    return {
        "patients": patients,
        "clinical_events": events,
        "medication_issues": issues,
        "medication_reviews": reviews,
    }


def sources_total(counts: dict) -> int:
    return max(sum(counts.values()), 1)


def generate_dataset(
    out,
    practices: list[str],
    seed: int,
    index_date: date = date(2026, 7, 1),
    scale: float = 1.0,
    label: str = "",
) -> dict:
    """Generate and write a dataset directory; returns its metadata."""
    tables = generate(practices, seed, index_date, scale)
    meta = {
        "synthetic": True,
        "label": f"SYNTHETIC population - not real patients {label}".strip(),
        "seed": seed,
        "index_date": index_date.isoformat(),
        "practices": practices,
        "scale": scale,
        "patients": tables["patients"].num_rows,
        "generator": "openpcn.population.generator",
        "calibration": [
            "nhsd_gp_reg_2026-07",
            "nhsd_qof_prevalence_2024-25",
            "ohid_fingertips_imd2025_practice",
        ],
    }
    write_dataset(out, tables, meta)
    return meta


def index_from(meta: dict) -> date:
    return date.fromisoformat(meta["index_date"]) if meta.get("index_date") else date.today()


__all__ = ["generate", "generate_dataset", "timedelta"]
