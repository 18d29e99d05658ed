"""The hard rules of one employee in the schedulingbenchmarks.org model.

Shared by the whole model (:mod:`openpcn.rota_benchmark.model`) and the one-employee pricing
problems of column generation (:mod:`openpcn.rota_benchmark.colgen`), so each rule is written once.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from openpcn.rota_benchmark.format import Instance


def add_staff_rules(m: cp_model.CpModel, inst: Instance, st, cell) -> None:
    """Every hard rule of one employee, over ``cell[d, t]`` (BoolVar: works shift t on day d).

    Used by the whole model and by the one-employee pricing problems of column generation.
    """
    H, T = inst.horizon, inst.shift_ids
    minutes = {s.id: s.minutes for s in inst.shifts}
    off = inst.days_off.get(st.id, set())
    work = []
    for d in range(H):
        for t in T:
            if d in off or st.max_shifts.get(t, H) == 0:
                m.add(cell[d, t] == 0)
        w = m.new_bool_var(f"w_{st.id}_{d}")
        m.add(sum(cell[d, t] for t in T) == w)
        work.append(w)
    for t in T:
        if st.max_shifts.get(t, H) < H:
            m.add(sum(cell[d, t] for d in range(H)) <= st.max_shifts[t])
    total = sum(minutes[t] * cell[d, t] for d in range(H) for t in T)
    m.add(total <= st.max_minutes)
    m.add(total >= st.min_minutes)
    k = st.max_consecutive
    if k < H:
        for d in range(H - k):
            m.add(sum(work[d : d + k + 1]) <= k)
    # Forbid inner stretches shorter than the minimum (stretches at the edges are exempt).
    for length in range(1, st.min_consecutive):
        for d in range(1, H - length):
            m.add_bool_or(
                [work[d - 1], *(work[i].Not() for i in range(d, d + length)), work[d + length]]
            )
    for length in range(1, st.min_consecutive_off):
        for d in range(1, H - length):
            m.add_bool_or(
                [
                    work[d - 1].Not(),
                    *(work[i] for i in range(d, d + length)),
                    work[d + length].Not(),
                ]
            )
    weekends = []
    for w in range(H // 7):
        sat, sun = 7 * w + 5, 7 * w + 6
        b = m.new_bool_var(f"wk_{st.id}_{w}")
        m.add_max_equality(b, [work[sat], work[sun]])
        weekends.append(b)
    if weekends and st.max_weekends < len(weekends):
        m.add(sum(weekends) <= st.max_weekends)
    for s in inst.shifts:
        for u in s.cannot_follow:
            for d in range(H - 1):
                m.add_implication(cell[d, s.id], cell[d + 1, u].Not())
