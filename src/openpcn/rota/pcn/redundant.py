"""Valid redundant rows for the PCN rota's model, so that its LP relaxation sees what is
unavoidable (added by :class:`openpcn.rota.pcn.model.ModelBuilder` when solving)."""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

from ortools.sat.python import cp_model

from openpcn.rota.pcn.instance import RotaInstance


class Built(Protocol):
    """What the rows need of the model being built (``model.ModelBuilder`` is one)."""

    inst: RotaInstance
    m: cp_model.CpModel
    slots: list
    soft: list


def add_redundant_rows(b: Built, at: dict, busy: dict) -> None:
    """Valid redundant constraints that let the LP relaxation see what is unavoidable.

    Implied by the model's constraints for every integer rota (so they change no optimum),
    but stated as a few dense rows the LP finds at once: (1) per role/skill and week, the
    shortfall below targets is at least the targets minus the sessions that can count
    towards them; (2) per role and week, sessions <= the sum of the contracts; (3) at an
    Enhanced Access site in NSH, other clinicians <= (rooms - 1) x GPs there (stronger than
    "a GP is present" in the LP: minutes per GP session are limited by the rooms).
    Not added when explaining infeasibility (they would survive dropping a requirement).
    """
    inst, m, slots = b.inst, b.m, b.slots
    week_of = {d: i for i, wk in enumerate(inst.weeks()) for d in wk}
    groups: dict[tuple, list] = defaultdict(list)
    for kind, var, _w, info in b.soft:
        if kind == "target_shortfall":
            d = inst.demand[info["demand"]]
            groups[d.role, d.skill, week_of[slots[info["slot"]].date]].append(
                (var, d, info["slot"])
            )
    for items in groups.values():
        mult: dict[int, list] = {}
        for _var, d, k in items:
            for e, v in at[k, d.site]:
                if e.matches(d.role, d.skill):
                    mult.setdefault(v.index, [v, 0])[1] += 1
        total = sum(d.target for _v, d, _k in items)
        m.add(sum(v for v, _d, _k in items) + sum(c * v for v, c in mult.values()) >= total)
    by_role: dict[tuple[str, int], list] = defaultdict(list)
    cap: dict[tuple[str, int], int] = defaultdict(int)
    per_week: dict[tuple[str, int], list] = defaultdict(list)
    for (eid, k), vs in busy.items():
        per_week[eid, week_of[slots[k].date]].extend(v for _, v in vs)
    roles = {e.id: e for e in inst.staff}
    for (eid, w), vs in per_week.items():
        e = roles[eid]
        by_role[e.role, w].extend(vs)
        cap[e.role, w] += min(len(vs), e.contracted_sessions)
    for key, vs in by_role.items():
        if len(vs) > cap[key]:
            m.add(cp_model.LinearExpr.sum(vs) <= cap[key])
    ea = inst.enhanced_access
    if ea:
        for k, slot in enumerate(slots):
            if not inst.session(slot.session).covers_nsh(slot.date):
                continue
            for sid in ea.sites:
                gps = [v for e, v in at[k, sid] if e.role == ea.gp_role]
                others = [v for e, v in at[k, sid] if e.role != ea.gp_role]
                if gps and others:
                    n = max(0, inst.site(sid).rooms_at(slot) - 1)
                    m.add(sum(others) <= n * sum(gps))
