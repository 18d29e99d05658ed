"""Property: every rota the solver returns satisfies every hard constraint (separate checker)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openpcn.rota.pcn.check import check_rota
from openpcn.rota.pcn.engine import solve_rota
from openpcn.rota.pcn.generate import STANDARD_SESSIONS
from openpcn.rota.pcn.instance import (
    CareHome,
    Demand,
    EnhancedAccess,
    Fairness,
    Practice,
    Request,
    Site,
)
from tests.rota.tiny import MONDAY, person, tiny

ROLES = ("gp", "pharmacist", "nurse")


@st.composite
def instances(draw):
    days = draw(st.integers(1, 7))
    n_sites = draw(st.integers(1, 2))
    sites = [
        Site(
            s,
            f"Site {s}",
            f"P{i}",
            {x.id: draw(st.integers(0, 2)) for x in STANDARD_SESSIONS},
        )
        for i, s in enumerate("AB"[:n_sites])
    ]
    practices = [Practice(f"P{i}", f"P{i}", draw(st.integers(1000, 9000))) for i in range(n_sites)]
    staff = [
        person(
            f"E{i}",
            role=draw(st.sampled_from(ROLES)),
            wte=draw(st.sampled_from((0.2, 0.5, 1.0))),
            base=draw(st.sampled_from([s.id for s in sites])),
            max_consecutive_days=draw(st.integers(1, 5)),
            max_sites_per_day=draw(st.integers(1, 2)),
            leave=frozenset({MONDAY + timedelta(days=draw(st.integers(0, days - 1)))})
            if draw(st.booleans())
            else frozenset(),
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    demand = [
        Demand(
            draw(st.sampled_from([s.id for s in sites])),
            draw(st.sampled_from(["morning", "afternoon", "evening"])),
            min=draw(st.integers(0, 1)),
            target=draw(st.integers(0, 3)),
            role=draw(st.sampled_from((None, *ROLES))),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    extras = {}
    if draw(st.booleans()):
        extras["care_homes"] = [CareHome("H", "Home", sites[0].id, ("gp", "nurse"))]
    if draw(st.booleans()):
        extras["enhanced_access"] = EnhancedAccess((sites[0].id,), draw(st.integers(0, 3000)))
    if draw(st.booleans()):
        extras["fairness"] = Fairness(("pharmacist",), draw(st.integers(5, 50)))
    requests = [
        Request(
            draw(st.sampled_from([e.id for e in staff])),
            MONDAY + timedelta(days=draw(st.integers(0, days - 1))),
            draw(st.sampled_from(("on", "off"))),
            draw(st.sampled_from((None, "morning"))),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return tiny(
        days=days,
        sessions=list(STANDARD_SESSIONS),
        sites=sites,
        practices=practices,
        staff=staff,
        demand=demand,
        requests=requests,
        **extras,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_rota_meets_every_hard_constraint(inst):
    r = solve_rota(inst, time_limit=2, workers=2, explain=False)
    assert r.status in ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN")
    if r.status in ("OPTIMAL", "FEASIBLE"):
        c = check_rota(inst, r.assignments)
        assert c.violations == []
        if r.status == "OPTIMAL":
            assert c.penalty == r.objective
