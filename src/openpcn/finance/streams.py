"""The payment streams a PCN is owed, as data: stream id -> rule keys it is built from.

Stream ids are stable snake_case names used in the CLI, the API and exports. A stream appears
for a year when the year's rule file holds at least one of its keys (``always`` streams are
listed even without a row, marked unavailable with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StreamDef:
    id: str
    label: str
    keys: tuple[str, ...]
    paid_to: str = "PCN"
    always: bool = False  # list it (as unavailable) even when the year has no row
    note: str = ""


STREAMS: tuple[StreamDef, ...] = (
    StreamDef(
        "arrs",
        "Additional Roles Reimbursement Scheme (ARRS) sum",
        ("arrs_rate_per_weighted_patient",),
        always=True,
        note="a ceiling on reimbursable claims, not a payment; unused funding is lost at"
        " 31 March (no carry-forward)",
    ),
    StreamDef(
        "arrs_gp",
        "ARRS ring-fenced GP sum",
        ("arrs_gp_rate_per_weighted_patient",),
        note="for GPs employed through ARRS only",
    ),
    StreamDef(
        "core_pcn_funding",
        "Core PCN funding",
        ("core_pcn_funding_per_registered_patient", "core_pcn_funding_per_adjusted_patient"),
    ),
    StreamDef(
        "clinical_director", "Clinical Director", ("clinical_director_per_registered_patient",)
    ),
    StreamDef(
        "leadership_and_management",
        "PCN Leadership and Management",
        ("leadership_management_per_adjusted_patient",),
    ),
    StreamDef(
        "extended_hours", "Extended Hours Access", ("extended_hours_per_registered_patient",)
    ),
    StreamDef("enhanced_access", "Enhanced Access", ("enhanced_access_per_adjusted_patient",)),
    StreamDef(
        "capacity_access_support",
        "Capacity and Access Support Payment",
        ("capacity_access_support_per_adjusted_patient",),
    ),
    StreamDef(
        "capacity_access_improvement",
        "Capacity and Access Improvement Payment (maximum)",
        ("capacity_access_improvement_max_per_adjusted_patient",),
        note="the maximum; paid on the commissioner's assessment of improvement",
    ),
    StreamDef("care_home_premium", "Care Home Premium", ("care_home_premium_per_bed",)),
    StreamDef(
        "network_participation",
        "Network Participation Payment",
        ("network_participation_per_weighted_patient",),
        paid_to="member practices",
        note="paid to each member practice on its own weighted list; the PCN figure is the sum",
    ),
    StreamDef(
        "pcn_support",
        "PCN support payment (COVID-19)",
        ("pcn_support_per_weighted_patient",),
    ),
    StreamDef(
        "iif",
        "Investment and Impact Fund",
        ("iif_gbp_per_point", "iif_max_points"),
        note="depends on points achieved and list-size/prevalence adjustment: not an entitlement",
    ),
)
STREAM_IDS = tuple(s.id for s in STREAMS)
BY_ID = {s.id: s for s in STREAMS}
