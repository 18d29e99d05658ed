"""A first roster in about a second, whatever the instance's shape: one employee at a time.

Every hard rule of the format concerns one employee; only cover links them. So a roster that
keeps every hard rule is one legal row per employee, and each row can be chosen by that
employee's own pricing problem (:class:`openpcn.rota_benchmark.colgen.Pricer`, a small CP-SAT
model) given what the others already cover: a cell still short of its requirement earns its
under-cover weight, a cell already covered costs its over-cover weight. One pass in staff
order gives the first roster; further passes re-choose each row against all the others
(coordinate descent) while the time lasts, never making the roster worse.

Pricing solves are seeded and single-threaded; under a time budget, how far the passes get
depends on the machine's speed, as with every time-limited search here.
"""

from __future__ import annotations

import time
from collections import Counter

from openpcn.rota_benchmark.colgen import Infeasible, Pattern, Pricer
from openpcn.rota_benchmark.format import Instance, Roster


def prices(inst: Instance, count: Counter) -> dict[tuple[int, str], float]:
    """What working each cell is worth to the roster as it stands (cover weights)."""
    pi: dict[tuple[int, str], float] = {}
    for c in inst.cover:
        key = (c.day, c.shift)
        gain = c.under_weight if count[key] < c.requirement else -c.over_weight
        pi[key] = pi.get(key, 0.0) + gain
    return pi


def penalty(inst: Instance, pricers: list[Pricer], rows: list[Pattern]) -> int:
    """The roster's objective: each row's request cost plus the cover penalties."""
    count = Counter(k for pat in rows for k in pat)
    total = sum(p.cost(pat) for p, pat in zip(pricers, rows, strict=True))
    for c in inst.cover:
        n = count[c.day, c.shift]
        total += max(0, c.requirement - n) * c.under_weight + max(0, n - c.requirement) * (
            c.over_weight
        )
    return total


def greedy(
    inst: Instance,
    pricers: list[Pricer],
    *,
    first_by: float,
    improve_until: float,
    give_up_at: float | None = None,
    seed: int = 0,
) -> tuple[list[Pattern], int] | None:
    """(one legal row per employee, the roster's objective), or None when a pricing solve
    found no row in its time (the caller falls back to the full model).

    The first pass shares the time to ``first_by`` (``perf_counter``) among the employees; an
    employee whose solve found no row is tried again with four times the time until
    ``give_up_at`` (default ``improve_until``). More passes run until ``improve_until``.
    Raises :class:`Infeasible` when an employee has no legal row at all.
    """
    n = len(pricers)
    stop = give_up_at if give_up_at is not None else max(first_by, improve_until)
    rows: list[Pattern | None] = [None] * n
    count: Counter = Counter()
    for e, pricer in enumerate(pricers):
        limit = max(0.05, (first_by - time.perf_counter()) / (n - e))
        while True:  # a row in more time rather than none, while the budget lasts
            found, _ = pricer.price(prices(inst, count), limit, seed=seed, keep=1)
            if found or time.perf_counter() + limit > stop:
                break
            limit *= 4
        if not found:
            return None
        rows[e] = found[-1]
        count.update(rows[e])
    best = penalty(inst, pricers, rows)
    passes = 0
    while time.perf_counter() < improve_until:
        changed = False
        for e, pricer in enumerate(pricers):
            left = improve_until - time.perf_counter()
            if left <= 0.02:
                break
            count.subtract(rows[e])
            found, _ = pricer.price(prices(inst, count), min(left, 0.2), seed=seed + passes)
            old = rows[e]
            if found:
                rows[e] = found[-1]
                score = penalty(inst, pricers, rows)
                if score < best:
                    best, changed = score, True
                else:
                    rows[e] = old
            count.update(rows[e])
        passes += 1
        if not changed:
            break
    return rows, best


def as_roster(inst: Instance, rows: list[Pattern]) -> Roster:
    """The rows as a roster: per employee, the shift worked each day (None = off)."""
    roster: Roster = {}
    for st, pat in zip(inst.staff, rows, strict=True):
        day = dict(pat)
        roster[st.id] = [day.get(d) for d in range(inst.horizon)]
    return roster


__all__ = ["Infeasible", "as_roster", "greedy", "penalty"]
