"""Each employee's best row by dynamic programming over work and rest stretches, many at once.

One employee's row in the benchmark format is a walk through the days in which the state is
the stretch being worked or rested: (shift worked today, days worked in a row) or (days off in
a row). The stretch rules are then transitions of that walk and are kept exactly: days off
and shift types the contract does not allow, at most ``MaxConsecutiveShifts`` in a row, inner
work stretches at least ``MinConsecutiveShifts`` long and inner rests at least
``MinConsecutiveDaysOff`` (stretches touching the start or end are exempt, as in the model),
and forbidden successions from one day to the next. The rules that count over the whole
horizon (minutes, shifts of each type, weekends) are not states: :func:`best_rows` takes them
as prices per minute, per shift of a type and per weekend day worked (Lagrange multipliers,
set by :mod:`openpcn.rota_benchmark.quick_roster`), and :func:`counts` says what a row uses.

All employees of a call are solved together, vectorised over NumPy arrays, one day at a time:
a call costs a few NumPy operations a day however many employees it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openpcn.rota_benchmark.format import Instance

NEG = -np.inf


@dataclass(frozen=True)
class Arrays:
    """The instance as arrays: E employees, H days, T shift types (in file order)."""

    horizon: int
    shift_ids: list[str]
    minutes: np.ndarray  # (T,) minutes of each shift type
    request: np.ndarray  # (E, H, T) on-request weight - off-request weight of working the cell
    request_const: np.ndarray  # (E,) on-request weights (paid when none is granted)
    allowed: np.ndarray  # (E, H, T) not a day off, and the type is allowed at all
    follows: np.ndarray  # (T, T) True when type u may be worked the day after type t
    kmax: np.ndarray  # (E,) work-stretch states: length cap (saturating when no maximum)
    saturates: np.ndarray  # (E,) True when there is no maximum stretch within the horizon
    max_run: np.ndarray  # (E,) most days in a row (horizon + 1 when unlimited)
    kmin: np.ndarray  # (E,) shortest inner work stretch
    joff: np.ndarray  # (E,) shortest inner rest (at least 1)
    min_minutes: np.ndarray  # (E,)
    max_minutes: np.ndarray  # (E,)
    max_shifts: np.ndarray  # (E, T)
    max_weekends: np.ndarray  # (E,)
    weekend_day: np.ndarray  # (H,) True on the Saturdays and Sundays of whole weeks
    requirement: np.ndarray  # (H, T) cover asked for
    under: np.ndarray  # (H, T) weight of each shift short
    over: np.ndarray  # (H, T) weight of each shift too many


def arrays(inst: Instance) -> Arrays:
    H, ids = inst.horizon, inst.shift_ids
    T, E = len(ids), len(inst.staff)
    col = {t: i for i, t in enumerate(ids)}
    row = {st.id: e for e, st in enumerate(inst.staff)}
    request = np.zeros((E, H, T))
    const = np.zeros(E)
    for r in inst.on_requests:
        request[row[r.staff], r.day, col[r.shift]] += r.weight
        const[row[r.staff]] += r.weight
    for r in inst.off_requests:
        request[row[r.staff], r.day, col[r.shift]] -= r.weight
    allowed = np.ones((E, H, T), dtype=bool)
    max_shifts = np.zeros((E, T))
    for e, st in enumerate(inst.staff):
        for t in ids:
            max_shifts[e, col[t]] = st.max_shifts.get(t, H)
        allowed[e, :, max_shifts[e] <= 0] = False
        off = [d for d in inst.days_off.get(st.id, ()) if 0 <= d < H]
        allowed[e, off, :] = False
    follows = np.ones((T, T), dtype=bool)
    for s in inst.shifts:
        for u in s.cannot_follow:
            if u in col:
                follows[col[s.id], col[u]] = False
    staff = inst.staff
    max_run = np.array([st.max_consecutive if st.max_consecutive < H else H + 1 for st in staff])
    kmin = np.array([max(1, st.min_consecutive) for st in staff])
    saturates = max_run > H
    kmax = np.where(saturates, kmin, np.minimum(max_run, H))
    max_minutes = np.array([st.max_minutes for st in staff], dtype=float)
    lengths = np.array([s.minutes for s in inst.shifts], dtype=float)
    for e in range(E):  # one type allowed: its maximum is a maximum of minutes too
        types = np.flatnonzero(max_shifts[e] > 0)
        if len(types) == 1:
            max_minutes[e] = min(max_minutes[e], max_shifts[e, types[0]] * lengths[types[0]])
    weekend = np.zeros(H, dtype=bool)
    for w in range(H // 7):
        weekend[7 * w + 5] = weekend[7 * w + 6] = True
    requirement, under, over = np.zeros((H, T)), np.zeros((H, T)), np.zeros((H, T))
    for c in inst.cover:
        requirement[c.day, col[c.shift]] += c.requirement
        under[c.day, col[c.shift]] = c.under_weight
        over[c.day, col[c.shift]] = c.over_weight
    return Arrays(
        horizon=H,
        shift_ids=ids,
        minutes=lengths,
        request=request,
        request_const=const,
        allowed=allowed,
        follows=follows,
        kmax=kmax,
        saturates=saturates,
        max_run=max_run,
        kmin=kmin,
        joff=np.array([max(1, st.min_consecutive_off) for st in staff]),
        min_minutes=np.array([st.min_minutes for st in staff], dtype=float),
        max_minutes=max_minutes,
        max_shifts=max_shifts,
        max_weekends=np.array([st.max_weekends for st in staff]),
        weekend_day=weekend,
        requirement=requirement,
        under=under,
        over=over,
    )


def best_rows(a: Arrays, who: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """The best row of each employee in ``who`` for ``gain`` (n, H, T: what working each
    cell is worth to them, prices included), keeping every stretch rule.

    Returns (n, H) shift indexes, -1 for a day off; a row of -2 where the employee has no
    row keeping the stretch rules at all.
    """
    n, H, T = len(who), a.horizon, len(a.shift_ids)
    g = np.where(a.allowed[who], gain, NEG)
    kmax, kmin, joff = a.kmax[who], a.kmin[who], a.joff[who]
    sat, max_run = a.saturates[who], a.max_run[who]
    K, J = max(1, int(kmax.max())), int(joff.max())
    r = np.arange(n)
    ks = np.arange(1, K + 1)
    w_live = ks[None, :] <= kmax[:, None]  # (n, K) work-stretch states that exist
    w_end = w_live & (ks[None, :] >= kmin[:, None])  # a rest may follow
    o_live = np.arange(1, J + 1)[None, :] <= joff[:, None]
    sat_rows = np.flatnonzero(sat)
    sat_k = kmax[sat_rows] - 1
    # predecessor sets: types t' with the same set of types allowed before them share a max
    groups: dict[bytes, list[int]] = {}
    for u in range(T):
        groups.setdefault(a.follows[:, u].tobytes(), []).append(u)
    preds = [(np.flatnonzero(a.follows[:, us[0]]), np.array(us)) for us in groups.values()]
    WK, W0 = T * K, T * K  # flat state layout: work (t, k), first stretch t, rest j
    S = T * K + T + J
    back = np.zeros((H, n, S), dtype=np.int16 if S < 32_000 else np.int32)
    work = np.full((n, T, K), NEG)
    first = np.where((max_run >= 1)[:, None], g[:, 0, :], NEG)  # since day 0: exempt
    rest = np.full((n, J), NEG)
    rest[r, joff - 1] = 0.0  # resting since day 0 (exempt)
    flat_t = np.arange(T)[:, None] * K + np.arange(K)[None, :]  # (T, K)
    k_prev = np.arange(K)[None, None, :] - 1  # a stretch of index k came from index k - 1
    for d in range(1, H):
        gd = g[:, d, :]
        b = back[d]
        # work stretches go on: best predecessor type for each length, per successor type
        best = np.full((n, T, K), NEG)
        arg = np.zeros((n, T, K), dtype=np.int32)
        best0 = np.full((n, T), NEG)
        arg0 = np.zeros((n, T), dtype=np.int32)
        for ts, us in preds:
            if len(ts) == 0:
                continue
            sub = work[:, ts, :]
            i = sub.argmax(axis=1)  # (n, K)
            v = np.take_along_axis(sub, i[:, None, :], axis=1)[:, 0, :]
            best[:, us, :] = v[:, None, :]
            arg[:, us, :] = ts[i][:, None, :]
            i0 = first[:, ts].argmax(axis=1)
            best0[:, us] = first[r, ts[i0]][:, None]
            arg0[:, us] = ts[i0][:, None]
        new = np.full((n, T, K), NEG)
        new[:, :, 1:] = best[:, :, :-1]
        b[:, :WK] = (np.concatenate([arg[:, :, :1], arg[:, :, :-1]], axis=2) * K + k_prev).reshape(
            n, WK
        )
        # a work stretch starts after a long enough rest
        new[:, :, 0] = rest[r, joff - 1][:, None]
        b[:, flat_t[:, 0]] = (WK + T + joff - 1)[:, None]
        if len(sat_rows):  # no maximum: the longest state loops on itself
            stay = best[sat_rows, :, sat_k]  # (m, T)
            take = stay > new[sat_rows, :, sat_k]
            new[sat_rows, :, sat_k] = np.where(take, stay, new[sat_rows, :, sat_k])
            at = flat_t[:, 0][None, :] + sat_k[:, None]
            b[sat_rows[:, None], at] = np.where(
                take, arg[sat_rows, :, sat_k] * K + sat_k[:, None], b[sat_rows[:, None], at]
            )
        new = np.where(w_live[:, None, :], new + gd[:, :, None], NEG)
        # the first stretch goes on while it is not too long
        new_first = np.where((d + 1 <= max_run)[:, None], best0 + gd, NEG)
        b[:, W0 : W0 + T] = W0 + arg0
        # rests: one starts after a long enough work stretch (or the first one), or goes on
        ends = np.where(w_end[:, None, :], work, NEG).reshape(n, WK)
        e_i = ends.argmax(axis=1)
        e_v = ends[r, e_i]
        f_i = first.argmax(axis=1)
        f_v = first[r, f_i]
        from_first = f_v > e_v
        new_rest = np.full((n, J), NEG)
        new_rest[:, 0] = np.where(from_first, f_v, e_v)
        b[:, W0 + T] = np.where(from_first, W0 + f_i, e_i)
        new_rest[:, 1:] = rest[:, :-1]
        b[:, W0 + T + 1 :] = W0 + T + np.arange(J - 1)[None, :]
        top = joff - 1
        keep = rest[r, top] > new_rest[r, top]
        new_rest[r, top] = np.where(keep, rest[r, top], new_rest[r, top])
        b[r, W0 + T + top] = np.where(keep, W0 + T + top, b[r, W0 + T + top])
        new_rest = np.where(o_live, new_rest, NEG)
        work, first, rest = new, new_first, new_rest
    final = np.concatenate([work.reshape(n, WK), first, rest], axis=1)
    state = final.argmax(axis=1)
    feasible = np.isfinite(final[r, state])
    out = np.empty((n, H), dtype=np.int64)
    for d in range(H - 1, -1, -1):
        out[:, d] = np.where(state < WK, state // K, np.where(state < W0 + T, state - W0, -1))
        if d:
            state = back[d][r, state]
    out[~feasible] = -2
    return out


def counts(a: Arrays, who: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """(minutes, shifts of each type (n, T), weekends worked) of each row."""
    works = rows >= 0
    minutes = np.where(works, a.minutes[np.maximum(rows, 0)], 0.0).sum(axis=1)
    T = len(a.shift_ids)
    per_type = (rows[:, :, None] == np.arange(T)[None, None, :]).sum(axis=1)
    weeks = a.horizon // 7
    if weeks:
        wk = works[:, : 7 * weeks].reshape(len(who), weeks, 7)
        weekends = (wk[:, :, 5] | wk[:, :, 6]).sum(axis=1)
    else:
        weekends = np.zeros(len(who), dtype=int)
    return minutes, per_type, weekends


def swap_types(a: Arrays, e: int, row: np.ndarray, gain: np.ndarray) -> np.ndarray | None:
    """``row`` with worked days moved to other types until no type is worked more than its
    maximum and the minutes are within the contract (best ``gain`` (H, T) first), or None
    when that cannot be done (or the row works too many weekends). Every day stays worked or
    off, so only the successions with the day before and after need checking; the result
    keeps every rule."""
    if row[0] == -2 or counts(a, np.array([e]), row[None, :])[2][0] > a.max_weekends[e]:
        return None  # no legal row, or too many weekends: moving types cannot mend that
    row = row.copy()
    H, T = a.horizon, len(a.shift_ids)
    cap = a.max_shifts[e]
    per_type = np.bincount(row[row >= 0], minlength=T)
    minutes = float(a.minutes[row[row >= 0]].sum())
    lo, hi = a.min_minutes[e], a.max_minutes[e]
    before = np.concatenate([[-1], row[:-1]])
    after = np.concatenate([row[1:], [-1]])
    for _ in range(2 * H):
        over = np.flatnonzero(per_type > cap)
        if not len(over) and lo <= minutes <= hi:
            return row
        days = np.flatnonzero(row == over[0]) if len(over) else np.flatnonzero(row >= 0)
        now = row[days]
        ok = a.allowed[e][days] & (per_type < cap)[None, :]  # (days, T)
        ok[np.arange(len(days)), now] = False
        b, f = before[days], after[days]
        ok &= np.where(b[:, None] >= 0, a.follows[np.maximum(b, 0)], True)
        ok &= np.where(f[:, None] >= 0, a.follows[:, np.maximum(f, 0)].T, True)
        moved = minutes + a.minutes[None, :] - a.minutes[now][:, None]
        fits = (moved >= lo) & (moved <= hi)
        if len(over):  # off the type worked too often: within the minutes if possible
            rank = np.where(fits, 1e12, 0.0)
        else:  # towards the minutes: those that reach them, then those that go furthest
            rank = np.where(fits, 1e12, 0.0) + 1e6 * np.where(
                minutes < lo, moved - minutes, minutes - moved
            )
            ok &= fits | ((moved > minutes) == (minutes < lo))
        score = np.where(ok, rank + gain[days] - gain[days, now][:, None], -np.inf)
        if not score.size:
            return None
        i, u = np.unravel_index(int(score.argmax()), score.shape)
        if not np.isfinite(score[i, u]):
            return None
        d, t = days[i], now[i]
        row[d] = u
        if d > 0:
            after[d - 1] = u
        if d + 1 < H:
            before[d + 1] = u
        per_type[t] -= 1
        per_type[u] += 1
        minutes += a.minutes[u] - a.minutes[t]
    return None
