"""Every rule of one employee checked on many rows at once, and a row mended one day at a time.

:func:`faults` checks candidate rows (C, H) of one employee against every hard rule of the
format, vectorised: the stretch rules exactly (``legal``) and, for the rules that count over
the horizon, how far each row is from keeping them (``distance``: minutes outside the
contract in shifts, shifts over each type's maximum, weekends over the maximum). :func:`mend`
takes a row that keeps the stretch rules but not the counts (what the stretch DP gives when
its prices miss, :mod:`openpcn.rota_benchmark.quick_roster`) and changes one day at a time
(off, or another shift) to the legal row nearest to keeping every rule, best gain first.
"""

from __future__ import annotations

import numpy as np

from openpcn.rota_benchmark.stretch_dp import Arrays, counts

MOVES = 8  # days changed at most before a row is given up


def _runs(on: np.ndarray):
    """(row, start, length) of every run of True in each row of ``on`` (C, H)."""
    C, H = on.shape
    padded = np.zeros((C, H + 2), dtype=np.int8)
    padded[:, 1:-1] = on
    step = np.diff(padded, axis=1)
    r_s, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    return r_s, starts, ends - starts


def faults(a: Arrays, e: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(legal (C,): every stretch rule kept, distance (C,): how far from keeping the counts,
    0 when every rule is kept) for candidate rows (C, H) of employee ``e``."""
    C, H = rows.shape
    work = rows >= 0
    t = np.maximum(rows, 0)
    days = np.arange(H)[None, :]
    legal = ~(work & ~a.allowed[e][days, t]).any(axis=1)
    both = work[:, :-1] & work[:, 1:]
    legal &= ~(both & ~a.follows[t[:, :-1], t[:, 1:]]).any(axis=1)
    bad = np.zeros(C, dtype=bool)
    r, s, n = _runs(work)
    inner = (s > 0) & (s + n < H)
    np.logical_or.at(bad, r, (n > a.max_run[e]) | (inner & (n < a.kmin[e])))
    r, s, n = _runs(~work)
    inner = (s > 0) & (s + n < H)
    np.logical_or.at(bad, r, inner & (n < a.joff[e]))
    legal &= ~bad
    minutes, per_type, weekends = counts(a, np.full(C, e), rows)
    shift = float(a.minutes.max())
    short = np.maximum(a.min_minutes[e] - minutes, 0) + np.maximum(minutes - a.max_minutes[e], 0)
    over = np.maximum(per_type - a.max_shifts[e][None, :], 0).sum(axis=1)
    over = over + np.maximum(weekends - a.max_weekends[e], 0)
    return legal, short / shift + over


def mend(a: Arrays, e: int, row: np.ndarray, gain: np.ndarray) -> np.ndarray | None:
    """``row`` (legal stretches) changed a day at a time, each time to the legal candidate
    nearest to keeping every rule (then the best ``gain`` (H, T)), until it keeps them all;
    None when :data:`MOVES` changes do not get there, no change brings it nearer, or
    ``row`` itself breaks a stretch rule."""
    H, T = a.horizon, len(a.shift_ids)
    values = np.arange(-1, T)
    day = np.repeat(np.arange(H), T + 1)
    value = np.tile(values, H)
    worth = np.concatenate([np.zeros((H, 1)), np.where(np.isfinite(gain), gain, -1e18)], axis=1)
    legal, now = faults(a, e, row[None, :])
    if not legal[0]:
        return None  # breaks a stretch rule: not a row to mend
    distance = float(now[0])
    for _ in range(MOVES):
        if distance == 0:
            return row
        keep = value != row[day]
        d, v = day[keep], value[keep]
        cand = np.repeat(row[None, :], len(d), axis=0)
        cand[np.arange(len(d)), d] = v
        legal, far = faults(a, e, cand)
        far = np.where(legal, far, np.inf)
        nearest = far.min()
        if not np.isfinite(nearest) or nearest >= distance:
            return None
        pick = np.flatnonzero(far == nearest)
        delta = worth[d[pick], v[pick] + 1] - worth[d[pick], row[d[pick]] + 1]
        i = pick[int(delta.argmax())]
        row = cand[i]
        distance = float(nearest)
    return row if distance == 0 else None
