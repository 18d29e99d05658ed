"""The rota model as a mixed-integer program for HiGHS (highspy).

CP-SAT finds rotas by search; a MIP solver brings the other side: the LP relaxation (a lower
bound, and where the rota "wants" to go) and fast exact solves of sub-problems. The PCN engine
uses both (:mod:`openpcn.rota.mip_lns`, decision 0009).

:func:`to_mip` translates a CP-SAT model with the constraint kinds the rota models use (linear
rows, with or without enforcement literals; at-most-one, exactly-one and clauses; a max of
literals) into an equivalent MIP over the same variables, by index: an enforced row gets a
big-M from its variables' bounds, and ``target = max(literals)`` becomes ``target >= each`` and
``target <= sum``. Any other kind of constraint raises ``ValueError``: the translation is exact
or refused. :func:`highs_model` loads it into HiGHS.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from ortools.sat.python import cp_model

INF = highspy.kHighsInf


def _quiet_banner() -> None:
    """HiGHS prints its version banner to standard output when the first instance in a
    process is made, before any option can silence it; that would corrupt ``rota solve
    --format json`` and interleave with the command's own messages. Make that first instance
    here, with file descriptor 1 pointing at the null device (when there is no descriptor 1,
    as in some daemons, there is nothing to protect)."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:
        highspy.Highs()
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


_quiet_banner()


@dataclass
class Mip:
    """A MIP in arrays: columns (bounds, cost, integer), rows (bounds, sparse by row)."""

    col_lower: np.ndarray
    col_upper: np.ndarray
    cost: np.ndarray
    offset: float
    row_lower: np.ndarray
    row_upper: np.ndarray
    starts: np.ndarray
    index: np.ndarray
    value: np.ndarray

    @property
    def num_cols(self) -> int:
        return len(self.col_lower)

    @property
    def num_rows(self) -> int:
        return len(self.row_lower)

    def objective(self, x: Sequence[float]) -> float:
        return float(np.dot(self.cost, np.asarray(x, dtype=float)) + self.offset)

    def violation(self, x: Sequence[float]) -> float:
        """The largest amount by which ``x`` breaks a row or a column bound (0: feasible)."""
        x = np.asarray(x, dtype=float)
        row_of = np.repeat(np.arange(self.num_rows), np.diff(self.starts))
        act = np.bincount(row_of, self.value * x[self.index], minlength=self.num_rows)
        rows = np.maximum(self.row_lower - act, act - self.row_upper)
        cols = np.maximum(self.col_lower - x, x - self.col_upper)
        return float(max(rows.max(initial=0.0), cols.max(initial=0.0)))


class _Rows:
    def __init__(self) -> None:
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.starts: list[int] = [0]
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, terms: dict[int, float], lo: float, hi: float) -> None:
        self.index.extend(terms)
        self.value.extend(terms.values())
        self.starts.append(len(self.index))
        self.lo.append(lo)
        self.hi.append(hi)


def to_mip(model: cp_model.CpModel) -> Mip:
    """The MIP equivalent to ``model``: the same variables by index, the same objective."""
    proto = model.proto
    n = len(proto.variables)
    lo = np.empty(n)
    hi = np.empty(n)
    for i, v in enumerate(proto.variables):
        d = v.domain
        if len(d) != 2:
            raise ValueError("a variable with a domain that has holes")
        lo[i], hi[i] = d[0], d[1]
    rows = _Rows()

    def literal_sum(refs: Sequence[int]) -> tuple[dict[int, float], float]:
        """sum of literals as (terms, constant): a negated literal is 1 - x."""
        terms: dict[int, float] = {}
        const = 0.0
        for r in refs:
            if r >= 0:
                terms[r] = terms.get(r, 0.0) + 1.0
            else:
                terms[-r - 1] = terms.get(-r - 1, 0.0) - 1.0
                const += 1.0
        return terms, const

    for c in proto.constraints:
        enf = list(c.enforcement_literal)
        if c.has_linear():
            vs, cs, d = c.linear.vars, c.linear.coeffs, c.linear.domain
            if len(d) != 2:
                raise ValueError("a linear row with a domain that has holes")
            terms: dict[int, float] = {}
            for v, k in zip(vs, cs, strict=True):
                if v < 0:
                    raise ValueError("a linear row over a negated variable")
                terms[v] = terms.get(v, 0.0) + k
            mn = sum(k * (lo[v] if k > 0 else hi[v]) for v, k in terms.items())
            mx = sum(k * (hi[v] if k > 0 else lo[v]) for v, k in terms.items())
            low = d[0] if d[0] > mn else -INF
            high = d[1] if d[1] < mx else INF
            if low == -INF and high == INF:
                continue
            if not enf:
                rows.add(terms, low, high)
                continue
            # enforced: the row holds when every enforcement literal is true; otherwise it is
            # relaxed by M x (number of false literals), M from the variables' bounds.
            off, const = literal_sum(enf)  # sum of the literals; len(enf) when all true
            k0 = len(enf) - const
            if low > -INF:  # expr + (low - mn) * (len - sum(lits)) >= low
                m_ = low - mn
                t = dict(terms)
                for v, k in off.items():
                    t[v] = t.get(v, 0.0) - m_ * k
                rows.add(t, low - m_ * k0, INF)
            if high < INF:  # expr - (mx - high) * (len - sum(lits)) <= high
                m_ = mx - high
                t = dict(terms)
                for v, k in off.items():
                    t[v] = t.get(v, 0.0) + m_ * k
                rows.add(t, -INF, high + m_ * k0)
            continue
        if enf:
            raise ValueError("an enforced constraint that is not a linear row")
        if c.has_at_most_one() or c.has_exactly_one() or c.has_bool_or():
            if c.has_at_most_one():
                refs, low, high = c.at_most_one.literals, -INF, 1.0
            elif c.has_exactly_one():
                refs, low, high = c.exactly_one.literals, 1.0, 1.0
            else:
                refs, low, high = c.bool_or.literals, 1.0, INF
            terms, const = literal_sum(refs)
            rows.add(terms, low - const, high - const)
        elif c.has_lin_max():
            target = _literal_of(c.lin_max.target, lo, hi)
            parts = [_literal_of(e, lo, hi) for e in c.lin_max.exprs]
            tt, tc = literal_sum([target])
            for p in parts:  # target >= each
                pt, pc = literal_sum([p])
                t = dict(tt)
                for v, k in pt.items():
                    t[v] = t.get(v, 0.0) - k
                rows.add(t, pc - tc, INF)
            pt, pc = literal_sum(parts)  # target <= sum
            t = dict(tt)
            for v, k in pt.items():
                t[v] = t.get(v, 0.0) - k
            rows.add(t, -INF, pc - tc)
        else:
            raise ValueError("a constraint kind the MIP translation does not handle")
    o = proto.objective
    if o.scaling_factor not in (0, 1):
        raise ValueError("a scaled objective")
    cost = np.zeros(n)
    offset = float(o.offset)
    for v, k in zip(o.vars, o.coeffs, strict=True):
        if v >= 0:
            cost[v] += k
        else:  # k * (1 - x)
            cost[-v - 1] -= k
            offset += k
    return Mip(
        lo,
        hi,
        cost,
        offset,
        np.array(rows.lo),
        np.array(rows.hi),
        np.array(rows.starts, dtype=np.int32),
        np.array(rows.index, dtype=np.int32),
        np.array(rows.value),
    )


def _literal_of(expr, lo: np.ndarray, hi: np.ndarray) -> int:
    """The literal reference of a max-equality term; refuses anything but a 0/1 variable."""
    vs, cs = list(expr.vars), list(expr.coeffs)
    if len(vs) == 1 and lo[vs[0]] == 0 and hi[vs[0]] == 1:
        if expr.offset == 0 and cs[0] == 1:
            return vs[0]
        if expr.offset == 1 and cs[0] == -1:
            return -vs[0] - 1
    raise ValueError("a max over something other than 0/1 variables")


def highs_model(mip: Mip) -> highspy.Highs:
    """A silent HiGHS instance holding ``mip`` (every column integer)."""
    h = highspy.Highs()
    h.silent()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = mip.num_cols, mip.num_rows
    lp.col_cost_, lp.offset_ = mip.cost, mip.offset
    lp.col_lower_, lp.col_upper_ = mip.col_lower, mip.col_upper
    lp.row_lower_, lp.row_upper_ = mip.row_lower, mip.row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_, lp.a_matrix_.index_ = mip.starts, mip.index
    lp.a_matrix_.value_ = mip.value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * mip.num_cols
    h.passModel(lp)
    return h


def integral_objective(model: cp_model.CpModel) -> bool:
    o = model.proto.objective
    # every CP-SAT variable is an integer: integral coefficients give an integral objective
    return o.scaling_factor in (0, 1) and float(o.offset).is_integer()
