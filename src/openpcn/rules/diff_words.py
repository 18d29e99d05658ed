"""What changed between two years' rules, in words: one sentence per change (pure).

::

    from openpcn.rules import diff, load_year
    from openpcn.rules.diff_words import sentences

    for s in sentences(diff(load_year("2024-25"), load_year("2025-26"))):
        s.topic, s.text
    # 'Enhanced Access: £7.975 per adjusted patient in 2024-25; £8.427 in 2025-26 (+5.7%).'

Values are written for their unit (money with £ and the published digits, percentages,
WTE, counts, points, minutes); dated rows say from when ("£65,838 from 1 Oct 2024"); a row
that was verified and is not (or the other way) says so. Sentences come grouped by topic:
ARRS (the ARRS sum and its rates), Roles (the ARRS roles and their caps), Payments (every
other payment to the PCN or its practices) and IIF.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openpcn.core.fyear import FinancialYear
from openpcn.rules.diff import KeyChange, RuleDiff
from openpcn.rules.keys import ROLE_FAMILIES, describe
from openpcn.rules.loader import Role, RuleValue
from openpcn.rules.variation import long_date

TOPICS = ("ARRS", "Roles", "Payments", "IIF")

LABELS = {
    "arrs_rate_per_weighted_patient": "ARRS sum rate",
    "arrs_gp_rate_per_weighted_patient": "ARRS ring-fenced GP sum",
    "arrs_national_max": "ARRS national maximum",
    "core_pcn_funding_per_registered_patient": "Core PCN funding (registered part)",
    "core_pcn_funding_per_adjusted_patient": "Core PCN funding (adjusted part)",
    "core_pcn_funding_combined_per_patient": "Core PCN funding (combined headline rate)",
    "clinical_director_per_registered_patient": "Clinical Director payment",
    "leadership_management_per_adjusted_patient": "PCN Leadership and Management payment",
    "extended_hours_per_registered_patient": "Extended Hours Access",
    "extended_hours_minutes_per_1000_per_week": "Extended Hours minimum",
    "enhanced_access_per_adjusted_patient": "Enhanced Access",
    "enhanced_access_minutes_per_1000_per_week": "Enhanced Access minimum",
    "care_home_premium_per_bed": "Care Home Premium",
    "pcn_support_per_weighted_patient": "PCN support payment (COVID-19)",
    "capacity_access_support_per_adjusted_patient": "Capacity and Access Support Payment",
    "capacity_access_improvement_max_per_adjusted_patient": (
        "Capacity and Access Improvement Payment (maximum)"
    ),
    "network_participation_per_weighted_patient": "Network Participation Payment",
    "iif_gbp_per_point": "IIF value of a point",
    "iif_max_points": "IIF maximum points",
    "payment_instalments_per_year": "Payment instalments a year",
    "arrs_splw_subcontract_contribution_per_wte": (
        "ARRS contribution to a subcontracted social prescribing link worker"
    ),
    "arrs_role_cap_population_threshold": "ARRS list size for the larger role caps",
    "arrs_mhp_split.pcn_pct": "Mental health practitioner: the PCN's share",
    "arrs_mhp_split.provider_pct": "Mental health practitioner: the provider's share",
}

_FAMILY = {
    "arrs_max_reimbursement": "ARRS maximum reimbursement",
    "arrs_reimbursement_pct": "ARRS reimbursement percentage",
    "arrs_role_cap": "ARRS role cap",
}
_SUFFIX = {
    "london_inner": "inner London",
    "london_outer": "outer London",
    "population_under_100k": "PCNs under 100,000 patients",
    "population_100k_plus": "PCNs of 100,000 patients or more",
}

_UNITS = {
    "GBP_per_registered_patient": "per registered patient",
    "GBP_per_weighted_patient": "per weighted patient",
    "GBP_per_adjusted_patient": "per adjusted patient",
    "GBP_per_patient": "per patient",
    "GBP_per_registered_patient_for_period": "per registered patient for the period",
    "GBP_per_weighted_patient_for_period": "per weighted patient for the period",
    "GBP_per_bed": "per bed a year",
    "GBP_per_bed_for_period": "per bed for the period",
    "GBP_per_wte_per_year": "per WTE a year",
    "GBP_per_point": "a point",
    "GBP": "",
    "wte": "WTE",
    "points": "points",
    "count": "",
    "percent": "",
    "minutes_per_1000_patients_per_week": "minutes per 1,000 patients a week",
}


@dataclass(frozen=True)
class Sentence:
    topic: str  # one of TOPICS
    key: str  # rule key or role id
    kind: str  # changed, added, removed, role_added, role_removed, role_changed
    text: str


def topic_of(key: str) -> str:
    if key.startswith("iif_"):
        return "IIF"
    family = key.split(".", 1)[0]
    if family in ("arrs_max_reimbursement", "arrs_reimbursement_pct", "arrs_role_cap") or (
        key.startswith("arrs_mhp_split") or key == "arrs_role_cap_population_threshold"
    ):
        return "Roles"
    if key.startswith("arrs_"):
        return "ARRS"
    return "Payments"


def topic_label(key: str, role_names: dict[str, str] | None = None) -> str:
    """A key as a person names it: 'Enhanced Access', 'ARRS role cap, Paramedic'."""
    if key in LABELS:
        return LABELS[key]
    family = key.split(".", 1)[0]
    if family in ROLE_FAMILIES:
        parts = key.split(".")
        role = parts[1] if len(parts) > 1 else ""
        name = (role_names or {}).get(role) or (
            "every role" if role == "all_roles" else role.replace("_", " ").capitalize()
        )
        suffix = f" ({_SUFFIX[parts[2]]})" if len(parts) > 2 and parts[2] in _SUFFIX else ""
        return f"{_FAMILY[family]}, {name}{suffix}"
    return describe(key) or key


def number(value: Decimal | int) -> str:
    """The published digits with thousands separators (8.640 stays 8.640)."""
    return f"{value:,}"


def amount(value: Decimal, unit: str, *, with_unit: bool = True) -> str:
    """A value in its unit: £8.427 per adjusted patient, 100%, 1 WTE, 60 minutes ..."""
    if unit.startswith("GBP"):
        text = f"£{number(value)}"
    elif unit == "percent":
        text = f"{number(value)}%"
    else:
        text = number(value)
    words = _UNITS.get(unit, unit.replace("_", " "))
    return f"{text} {words}" if with_unit and words else text


def describe_value(row: RuleValue, *, with_unit: bool = True) -> str:
    """One row's value with its dates when it does not cover the whole year."""
    text = amount(row.value, row.unit, with_unit=with_unit)
    fy = FinancialYear.parse(row.year)
    if row.applies_from != fy.start:
        text += f" from {long_date(row.applies_from)}"
    if row.applies_to != fy.end:
        text += f" to {long_date(row.applies_to)}"
    return text


def _series(rows: tuple[RuleValue, ...], *, with_unit: bool = True) -> str:
    parts = [describe_value(r, with_unit=with_unit and i == 0) for i, r in enumerate(rows)]
    return ", then ".join(parts)


def _pct(before: RuleValue, after: RuleValue) -> str:
    if before.unit != after.unit or not before.value or before.value == after.value:
        return ""
    change = (after.value - before.value) / before.value * 100
    return f" ({change:+.1f}%)"


def _verified(a: tuple[RuleValue, ...], b: tuple[RuleValue, ...], year_b: str) -> str:
    va, vb = all(r.verified for r in a), all(r.verified for r in b)
    if va and not vb:
        return f"; the {year_b} figure is unverified (the earlier one was verified)"
    if vb and not va:
        return f"; the {year_b} figure is verified (the earlier one was not)"
    if not vb:
        return "; both unverified"
    return ""


def _changed(c: KeyChange, year_a: str, year_b: str, names: dict[str, str]) -> str:
    label = topic_label(c.key, names)
    if [describe_value(r) for r in c.before] == [describe_value(r) for r in c.after]:
        text = f"{label}: {_series(c.before)} in both years"
    else:
        same_unit = {r.unit for r in c.before} == {r.unit for r in c.after}
        text = (
            f"{label}: {_series(c.before)} in {year_a};"
            f" {_series(c.after, with_unit=not same_unit)} in {year_b}"
        )
        text += _pct(c.before[-1], c.after[0])
    return text + _verified(c.before, c.after, year_b) + "."


def _flag(rows: tuple[RuleValue, ...]) -> str:
    return "" if all(r.verified for r in rows) else " (unverified)"


def _role(role: Role) -> str:
    band = f", band {role.afc_band}" if role.afc_band and role.afc_band != "n/a" else ""
    return f"{role.name}{band}"


def sentences(d: RuleDiff, role_names: dict[str, str] | None = None) -> list[Sentence]:
    """One sentence per change, in topic order (ARRS, Roles, Payments, IIF), then key order."""
    names = dict(role_names or {})
    for r in (*d.roles_added, *d.roles_removed, *(c.after for c in d.roles_changed if c.after)):
        names.setdefault(r.id, r.name)
    a, b = d.year_a, d.year_b
    out: list[Sentence] = []
    for c in d.changed:
        out.append(Sentence(topic_of(c.key), c.key, "changed", _changed(c, a, b, names)))
    for c in d.added:
        text = f"New rule: {topic_label(c.key, names)}: {_series(c.after)} in {b}{_flag(c.after)}."
        out.append(Sentence(topic_of(c.key), c.key, "added", text))
    for c in d.removed:
        text = (
            f"Rule removed: {topic_label(c.key, names)} ({_series(c.before)} in {a};"
            f" the {b} rules hold none)."
        )
        out.append(Sentence(topic_of(c.key), c.key, "removed", text))
    for r in d.roles_added:
        start = FinancialYear.parse(b).start
        when = "" if r.available_from == start else f" from {long_date(r.available_from)}"
        flag = "" if r.verified else " (unverified)"
        text = f"New role: {_role(r)}, reimbursable under ARRS in {b}{when}{flag}."
        out.append(Sentence("Roles", r.id, "role_added", text))
    for r in d.roles_removed:
        text = f"Role removed: {_role(r)} was reimbursable in {a}; it is not in {b}."
        out.append(Sentence("Roles", r.id, "role_removed", text))
    for rc in d.roles_changed:
        before, after = rc.before, rc.after
        if before is None or after is None:
            continue
        what = []
        if before.name != after.name:
            what.append(f"named '{before.name}' in {a}, '{after.name}' in {b}")
        if before.afc_band != after.afc_band:
            what.append(f"band {before.afc_band} in {a}; band {after.afc_band} in {b}")
        if (before.available_from.month, before.available_from.day) != (
            after.available_from.month,
            after.available_from.day,
        ):
            what.append(
                f"reimbursable from {long_date(before.available_from)} in {a};"
                f" from {long_date(after.available_from)} in {b}"
            )
        text = f"Role changed: {after.name}: {'; '.join(what) or 'details changed'}."
        out.append(Sentence("Roles", rc.id, "role_changed", text))
    order = {t: i for i, t in enumerate(TOPICS)}
    kinds = {"changed": 0, "added": 1, "removed": 2, "role_added": 3, "role_removed": 4}
    out.sort(key=lambda s: (order[s.topic], kinds.get(s.kind, 5), s.key))
    return out


def by_topic(items: list[Sentence]) -> list[tuple[str, list[Sentence]]]:
    """[(topic, its sentences)] for the topics that have any, in TOPICS order."""
    grouped = [(t, [s for s in items if s.topic == t]) for t in TOPICS]
    return [(t, group) for t, group in grouped if group]
