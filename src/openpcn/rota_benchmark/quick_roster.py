"""A first roster in about a second, whatever the shape, and better ones while time lasts.

Every hard rule of the format concerns one employee; only cover links them. So a roster is
one legal row per employee, and each row can be the best one for that employee given what
the others cover: a cell still short is worth its under-cover weight, a cell already covered
costs its over-cover weight, a request granted is worth its weight
(:func:`gains`). The rows come from :func:`openpcn.rota_benchmark.stretch_dp.best_rows`
(the stretch rules exactly, for a batch of employees at once); the rules over the whole
horizon (minutes, shifts per type, weekends) are prices on the cells, raised or lowered per
employee until the row keeps them (:func:`fit`).

:func:`quick_roster` builds the first roster batch by batch (each batch priced against the
rows already chosen), then re-chooses rows batch by batch against all the others while the
time lasts, keeping a new row only when the whole roster's objective goes down (so it never
gets worse). An employee whose row cannot be fitted in a few rounds is left without one: the
roster is then a partial hint, which CP-SAT completes.

Deterministic for a seed (the batch order), except where the time runs out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from openpcn.rota_benchmark.colgen import Infeasible, Pattern, Pricer
from openpcn.rota_benchmark.format import Instance
from openpcn.rota_benchmark.row_mend import mend
from openpcn.rota_benchmark.stretch_dp import Arrays, arrays, best_rows, counts, swap_types

ROUNDS = 24  # price adjustments per employee before it is left without a row
NOISE = 0.3  # ties between equal cells broken by up to this (weights are whole numbers)
BATCHES = 8  # employees are chosen in this many batches a pass (fewer when there are fewer)


@dataclass
class QuickRoster:
    """Rows (employee index -> cells worked) and the roster's objective when it is whole."""

    rows: dict[int, Pattern]
    objective: int | None
    passes: int
    first_at: float | None  # seconds from the call to the first whole roster
    log: list[tuple[float, int]] = field(default_factory=list)  # (seconds, objective)


@dataclass
class _Prices:
    """The Lagrange prices of each employee's whole-horizon rules."""

    minute: np.ndarray  # (E,) per minute worked
    per_type: np.ndarray  # (E, T) per shift of each type
    weekend: np.ndarray  # (E,) per weekend day worked
    fitted: np.ndarray  # (E,) True once these prices gave the employee a legal row


def cover_penalty(a: Arrays, count: np.ndarray) -> float:
    short = np.maximum(a.requirement - count, 0.0)
    extra = np.maximum(count - a.requirement, 0.0)
    return float((short * a.under).sum() + (extra * a.over).sum())


def request_cost(a: Arrays, e: int, row: np.ndarray) -> float:
    days = np.flatnonzero(row >= 0)
    return float(a.request_const[e] - a.request[e, days, row[days]].sum())


def gains(a: Arrays, who: np.ndarray, count: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """(n, H, T): what working each cell is worth to each employee, given the others' rows."""
    H, T = count.shape
    own = np.zeros((len(who), H, T))
    mine = rows[who]
    e_i, d_i = np.nonzero(mine >= 0)
    own[e_i, d_i, mine[e_i, d_i]] = 1.0
    others = count[None, :, :] - own
    cover = np.where(others < a.requirement[None], a.under[None], -a.over[None])
    return cover + a.request[who]


def guess(a: Arrays, who: np.ndarray, value: np.ndarray) -> np.ndarray:
    """A minute price for each employee at which their best cells add up to the middle of
    their minutes (stretch rules ignored): rank each day by its best value per minute, and
    take the value per minute of the day at which the minutes reach the middle."""
    per_minute = value / a.minutes[None, None, :]
    best_t = per_minute.argmax(axis=2)  # (n, H)
    rate = np.take_along_axis(per_minute, best_t[:, :, None], axis=2)[:, :, 0]
    minutes = np.where(np.isfinite(rate), a.minutes[best_t], 0.0)
    order = np.argsort(-rate, axis=1)
    rate = np.take_along_axis(rate, order, axis=1)
    reach = np.cumsum(np.take_along_axis(minutes, order, axis=1), axis=1)
    target = (a.min_minutes[who] + a.max_minutes[who]) / 2
    at = np.minimum((reach < target[:, None]).sum(axis=1), a.horizon - 1)
    lam = rate[np.arange(len(who)), at]
    return np.where(np.isfinite(lam), lam, 0.0)


def type_prices(a: Arrays, e: int, value: np.ndarray) -> np.ndarray:
    """Per-shift prices of employee ``e``'s types (T,) that make the types kept to their
    maxima the best ones to work: cells taken best value per minute first, one a day and
    none of a type past its maximum, until the minutes reach the middle of the contract;
    a type that reached its maximum is priced so that its next best cell is worth no more
    per minute than the last cell taken (stretch rules ignored, as in :func:`guess`)."""
    H, T = value.shape
    rate = (value / a.minutes[None, :]).ravel()
    order = np.argsort(-rate, kind="stable")
    cap = a.max_shifts[e].copy()
    target = (a.min_minutes[e] + a.max_minutes[e]) / 2
    taken_day = np.zeros(H, dtype=bool)
    minutes, last = 0.0, 0.0
    full_at = np.full(T, np.nan)  # the rate of a type's first cell refused for its maximum
    for k in order:
        if minutes >= target or not np.isfinite(rate[k]):
            break
        d, t = divmod(int(k), T)
        if taken_day[d]:
            continue
        if cap[t] <= 0:
            if np.isnan(full_at[t]) and a.max_shifts[e, t] > 0:
                full_at[t] = rate[k]
            continue
        taken_day[d] = True
        cap[t] -= 1
        minutes += a.minutes[t]
        last = rate[k]
    over = np.where(np.isnan(full_at), 0.0, np.maximum(full_at - last, 0.0))
    return over * a.minutes


def fit(
    a: Arrays, who: np.ndarray, gain: np.ndarray, p: _Prices, noise: np.ndarray
) -> dict[int, np.ndarray]:
    """Rows of the employees in ``who`` that keep every rule, by moving their prices.

    The minute price starts from :func:`guess` and is then bisected: a row with too many
    minutes raises it, too few lowers it (doubling its step until the other side is found,
    then halving the bracket). A row with too many shifts of a type or too many weekends
    raises that price (by the share of them that is too many, times what a good cell is
    worth), and the minute price is guessed again. ``noise`` (H, T; small, fixed for the
    instance) breaks the ties between equally good cells, so that the minutes move a
    stretch at a time with the price. Employees not fitted in :data:`ROUNDS` rounds are not
    in the result."""
    found: dict[int, np.ndarray] = {}
    n = len(who)
    idx = np.arange(n)
    weekend = a.weekend_day[None, :, None]
    gain = np.where(a.allowed[who], gain + noise[None], -np.inf)
    positive = gain[np.isfinite(gain) & (gain > 0)]
    scale = float(positive.mean()) if positive.size else 1.0  # what a good cell is worth

    def priced(i: np.ndarray) -> np.ndarray:
        e = who[i]
        return gain[i] - p.per_type[e][:, None, :] - p.weekend[e, None, None] * weekend

    lo, hi = np.full(n, -np.inf), np.full(n, np.inf)  # too many minutes at lo, too few at hi
    last = np.full((n, a.horizon), -1, dtype=np.int64)  # each one's latest legal row
    new = idx[~p.fitted[who]]  # the others start from the prices that fitted them last
    for i in new:
        p.per_type[who[i]] = type_prices(a, int(who[i]), gain[i])
    p.minute[who[new]] = guess(a, who[new], priced(new))
    step = np.maximum(np.abs(p.minute[who]) * 0.02, 1e-6)
    for _ in range(ROUNDS):
        if not len(idx):
            break
        e = who[idx]
        lam = p.minute[e]
        rows = best_rows(a, e, priced(idx) - lam[:, None, None] * a.minutes[None, None, :])
        minutes, per_type, weekends = counts(a, e, rows)
        legal = rows[:, 0] != -2
        high, low = minutes > a.max_minutes[e], minutes < a.min_minutes[e]
        too_many = per_type > a.max_shifts[e]
        weekends_over = weekends > a.max_weekends[e]
        others = too_many.any(axis=1) | weekends_over
        ok = legal & ~low & ~high & ~others
        for i in np.flatnonzero(ok):
            found[int(e[i])] = rows[i]
        for i in np.flatnonzero(legal & ~ok & ~weekends_over):
            swapped = swap_types(a, int(e[i]), rows[i], gain[idx[i]])
            if swapped is not None:
                found[int(e[i])] = swapped
                ok[i] = True
        last[idx[legal]] = rows[legal]
        p.fitted[e[ok]] = True
        lo[idx] = np.where(high, np.maximum(lo[idx], lam), lo[idx])
        hi[idx] = np.where(low, np.minimum(hi[idx], lam), hi[idx])
        both = np.isfinite(lo[idx]) & np.isfinite(hi[idx])
        mid = (np.where(both, lo[idx], 0.0) + np.where(both, hi[idx], 0.0)) / 2
        up = np.where(both, mid, lam + step[idx])
        down = np.where(both, mid, lam - step[idx])
        p.minute[e] = np.where(high, up, np.where(low, down, lam))
        step[idx] = np.where((high | low) & ~both, step[idx] * 2, step[idx])
        # the minutes right but too many of a type or weekends: price them, and guess the
        # minute price again (with the minutes wrong, the minute price moves first)
        price = others & ~high & ~low
        if price.any():
            excess = np.maximum(per_type - a.max_shifts[e], 0) / np.maximum(per_type, 1)
            p.per_type[e] += np.where(price[:, None], scale * excess + too_many, 0.0)
            slack = price[:, None] & ~too_many & (p.per_type[e] > 0)
            p.per_type[e] = np.where(slack, p.per_type[e] * 0.7, p.per_type[e])
            over = np.maximum(weekends - a.max_weekends[e], 0) / np.maximum(weekends, 1)
            p.weekend[e] += np.where(price, scale * over / 2 + weekends_over / 2, 0.0)
            again = idx[price]
            lo[again], hi[again] = -np.inf, np.inf
            p.minute[who[again]] = guess(a, who[again], priced(again))
        idx = idx[~ok & legal]
    for i in idx:  # the prices did not get there: mend the last row a day at a time
        mended = mend(a, int(who[i]), last[i], gain[i])
        if mended is not None:
            found[int(who[i])] = mended
    return found


def quick_roster(
    inst: Instance,
    *,
    first_by: float,
    improve_until: float,
    seed: int = 0,
    on_roster: Callable[[int], None] | None = None,
) -> QuickRoster:
    """Rows for as many employees as there is time for (``perf_counter`` times): the
    stretch DP for every batch, then each employee it could not fit by their own CP-SAT
    pricing problem until ``first_by`` (the first roster), then improving passes until
    ``improve_until``. ``on_roster(objective)`` hears of each better whole roster as it is
    found."""
    start = time.perf_counter()
    r = _Roster(inst, seed)
    first = np.array_split(np.concatenate(r.batches), 2) if r.batches else []
    for batch in first:  # the first pass, in halves: each against the rows chosen so far
        for e, row in fit(r.a, batch, r.gains(batch), r.prices, r.noise).items():
            r.put(e, row)
    for e in np.flatnonzero(~r.have):  # the stretch DP could not fit them: CP-SAT
        left = first_by - time.perf_counter()
        if left <= 0:
            break
        row = r.priced_row(int(e), left / max(1, int((~r.have).sum())))
        if row is not None:
            r.put(int(e), row)
    out = QuickRoster({}, None, 1, None)
    best = r.total()
    if best is not None:
        out.first_at = time.perf_counter() - start
        out.log.append((out.first_at, round(best)))
        if on_roster:
            on_roster(round(best))
    while time.perf_counter() < improve_until:  # improving passes: keep what lowers the total
        changed = False
        for batch in r.batches:
            if time.perf_counter() >= improve_until:
                break
            fitted = fit(r.a, batch, r.gains(batch), r.prices, r.noise)
            for e in batch:  # in batch order: each against the rows as they now stand
                row = fitted.get(int(e))
                if row is not None and r.better(int(e), row):
                    changed = True
        out.passes += 1
        total = r.total()
        if total is not None and (best is None or total < best):
            best = total
            if out.first_at is None:
                out.first_at = time.perf_counter() - start
            out.log.append((time.perf_counter() - start, round(best)))
            if on_roster:
                on_roster(round(best))
        if not changed:
            break
    out.rows = r.patterns()
    out.objective = round(best) if best is not None else None
    return out


class _Roster:
    """The rows chosen so far, their cover count and their request costs."""

    def __init__(self, inst: Instance, seed: int) -> None:
        self.inst = inst
        a = self.a = arrays(inst)
        E, H, T = len(inst.staff), a.horizon, len(a.shift_ids)
        self.rows = np.full((E, H), -1, dtype=np.int64)
        self.have = np.zeros(E, dtype=bool)
        self.count = np.zeros((H, T))
        self.cost = np.zeros(E)
        self.prices = _Prices(np.zeros(E), np.zeros((E, T)), np.zeros(E), np.zeros(E, bool))
        rng = np.random.default_rng(seed)
        self.noise = rng.uniform(0.0, NOISE, size=(H, T))
        self.batches = np.array_split(rng.permutation(E), min(E, BATCHES)) if E else []
        self.seed = seed

    def gains(self, who: np.ndarray) -> np.ndarray:
        return gains(self.a, who, self.count, self.rows)

    def put(self, e: int, row: np.ndarray) -> None:
        """Employee ``e`` works ``row`` (replacing their row, if any)."""
        self.take(e)
        days = np.flatnonzero(row >= 0)
        np.add.at(self.count, (days, row[days]), 1.0)
        self.rows[e] = row
        self.have[e] = True
        self.cost[e] = request_cost(self.a, e, row)

    def take(self, e: int) -> None:
        """Employee ``e``'s row out of the roster (none left)."""
        days = np.flatnonzero(self.rows[e] >= 0)
        np.add.at(self.count, (days, self.rows[e][days]), -1.0)
        self.rows[e] = -1
        self.have[e] = False

    def better(self, e: int, row: np.ndarray) -> bool:
        """Keep ``row`` for ``e`` if the roster's objective goes down (or e had none)."""
        if self.have[e] and np.array_equal(row, self.rows[e]):
            return False
        before = cover_penalty(self.a, self.count) + (self.cost[e] if self.have[e] else np.inf)
        old, had = self.rows[e].copy(), self.have[e]
        self.put(e, row)
        if cover_penalty(self.a, self.count) + self.cost[e] < before:
            return True
        self.take(e)
        if had:
            self.put(e, old)
        return False

    def total(self) -> float | None:
        """The roster's objective, once every employee has a row."""
        if not self.have.all():
            return None
        return cover_penalty(self.a, self.count) + float(self.cost.sum())

    def priced_row(self, e: int, limit: float) -> np.ndarray | None:
        """Employee ``e``'s row from their CP-SAT pricing problem, against the others."""
        a = self.a
        cover = self.gains(np.array([e]))[0] - a.request[e]
        pi = {
            (d, t): float(cover[d, i]) for d in range(a.horizon) for i, t in enumerate(a.shift_ids)
        }
        try:
            found, _ = Pricer(self.inst, self.inst.staff[e]).price(pi, limit, self.seed, keep=1)
        except Infeasible:
            return None
        if not found:
            return None
        col = {t: i for i, t in enumerate(a.shift_ids)}
        row = np.full(a.horizon, -1, dtype=np.int64)
        for d, t in found[-1]:
            row[d] = col[t]
        return row

    def patterns(self) -> dict[int, Pattern]:
        ids = self.a.shift_ids
        return {
            int(e): Pattern(
                (int(d), ids[self.rows[e, d]]) for d in np.flatnonzero(self.rows[e] >= 0)
            )
            for e in np.flatnonzero(self.have)
        }
