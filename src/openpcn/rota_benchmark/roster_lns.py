"""Search for the schedulingbenchmarks.org model: cover first, then LNS with rostering moves.

:func:`solve_lns` runs three steps (see its docstring): a short full CP-SAT solve (proves small
instances optimal, gives a bound), CP-SAT on the under-cover penalty alone (missed cover
costs 100 a unit in these instances, so which roster misses the fewest covers decides the
result), then the whole objective with under-cover capped, by :func:`improve`.

:func:`improve`: ``lanes`` threads (one CP-SAT worker each) repeatedly re-solve a copy of the
model in which every employee-day outside a neighbourhood is fixed to the incumbent roster
(which is also the hint, so a sub-solve can only keep or improve it). Neighbourhoods follow
the structure of rosters:

* ``staff``: a few employees over the whole horizon;
* ``block``: more employees over a window of 7-14 consecutive days;
* ``days``: everyone over a short window of days;
* ``cover``: around a day/shift whose cover is missed (or exceeded), a few employees who could
  take it (not already on that shift that day) and one who is on it, over a window of days;
* ``request``: around a request the roster does not grant, its employee and a few others,
  over a window of days.

Each family's size adapts: it grows when its sub-solve finished (proved optimal) and shrinks
when it ran out of time; families that recently improved the roster are drawn more often.
Equal-cost moves are accepted, so the search can walk plateaus.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from openpcn.rota_benchmark.format import Instance

Grid = dict[tuple[int, int], list[int]]  # (employee index, day) -> variable indices of x


@dataclass
class LnsOutcome:
    status: str
    objective: int | None
    best_bound: float | None
    values: list[int] | None
    iterations: int = 0
    improvements: int = 0
    log: list[tuple[float, int]] = field(default_factory=list)
    stats: dict[str, list[int]] = field(default_factory=dict)  # family -> tries, solved, better
    phases: list[tuple[str, float, int]] = field(default_factory=list)  # name, end s, value


class _FirstPhase(cp_model.CpSolverSolutionCallback):
    """Stops the full solve at ``stop_at`` (perf_counter) once a roster exists."""

    def __init__(self, stop_at: float, log: list, start: float, solver) -> None:
        super().__init__()
        self.stop_at, self.log, self.start, self.solver = stop_at, log, start, solver
        self.found = False
        self.done = threading.Event()

    def watch(self) -> None:
        """Stop the search at ``stop_at`` if a solution exists (else at the first one)."""
        while not self.done.wait(0.1):
            if self.found and time.perf_counter() >= self.stop_at:
                self.solver.stop_search()
                return

    def on_solution_callback(self) -> None:
        now = time.perf_counter()
        self.found = True
        self.log.append((now - self.start, round(self.objective_value)))
        if now >= self.stop_at:
            self.stop_search()


class _Moves:
    """Draws neighbourhoods (sets of free (employee, day) cells) from the incumbent."""

    FAMILIES = ("staff", "block", "days", "cover", "request")

    def __init__(self, inst: Instance, rng: random.Random) -> None:
        self.inst, self.rng = inst, rng
        self.n, self.h = len(inst.staff), inst.horizon
        self.size = {"staff": 3.0, "block": 8.0, "days": 4.0, "cover": 7.0, "request": 7.0}
        self.lo = {"staff": 2, "block": 3, "days": 2, "cover": 3, "request": 3}
        h = self.h
        self.hi = {"staff": self.n - 1, "block": self.n, "days": h - 1, "cover": h, "request": h}
        self.score = dict.fromkeys(self.FAMILIES, 0.2)
        self.lock = threading.Lock()

    def feedback(self, fam: str, solved: bool, better: bool) -> None:
        with self.lock:
            f = 1.12 if solved else 0.88
            self.size[fam] = min(self.hi[fam], max(self.lo[fam], self.size[fam] * f))
            # Families that improve the roster are drawn more often (never below a floor).
            self.score[fam] = 0.9 * self.score[fam] + 0.1 * (1.0 if better else 0.0)

    def _k(self, fam: str) -> int:
        s = self.size[fam]
        k = int(s) + (1 if self.rng.random() < s - int(s) else 0)
        return min(self.hi[fam], max(self.lo[fam], k))

    def _window(self, length: int, centre: int | None = None) -> range:
        length = min(self.h, length)
        if centre is None:
            a = self.rng.randrange(self.h - length + 1)
        else:
            a = min(max(0, centre - self.rng.randrange(length)), self.h - length)
        return range(a, a + length)

    def draw(
        self,
        shifts: list[list[str | None]],
        missed: list[tuple[int, str]],
        requests: list[tuple[int, int]],
    ) -> tuple:
        rng = self.rng
        fams = [
            f for f in self.FAMILIES if (f != "cover" or missed) and (f != "request" or requests)
        ]
        fam = rng.choices(fams, [0.05 + self.score[f] for f in fams])[0]
        with self.lock:
            k = self._k(fam)
        if fam == "staff":
            cells = {(e, d) for e in rng.sample(range(self.n), k) for d in range(self.h)}
        elif fam == "block":
            days = self._window(rng.randint(7, 14))
            cells = {(e, d) for e in rng.sample(range(self.n), k) for d in days}
        elif fam == "days":
            days = self._window(k)
            cells = {(e, d) for e in range(self.n) for d in days}
        elif fam == "request":
            e0, d = rng.choice(requests)
            days = self._window(k, d)
            others = rng.sample(
                [e for e in range(self.n) if e != e0], min(self.n - 1, rng.randint(2, 5))
            )
            cells = {(e, dd) for e in [e0, *others] for dd in days}
        else:
            d, t = rng.choice(missed)
            days = self._window(k, d)
            cand = [e for e in range(self.n) if shifts[e][d] != t]
            take = rng.sample(cand, min(len(cand), rng.randint(3, 6)))
            busy = [e for e in range(self.n) if shifts[e][d] == t]
            take += rng.sample(busy, min(len(busy), 1))
            cells = {(e, dd) for e in take for dd in days}
        return fam, cells


def _missed(inst: Instance, shifts: list[list[str | None]]) -> list[tuple[int, str]]:
    under, over = [], []
    for c in inst.cover:
        n = sum(1 for row in shifts if row[c.day] == c.shift)
        if n < c.requirement:
            under.append((c.day, c.shift))
        elif n > c.requirement:
            over.append((c.day, c.shift))
    return under or over


def shifts(inst: Instance, x: dict, values: list[int]) -> list[list[str | None]]:
    return [
        [
            next((t for t in inst.shift_ids if values[x[st.id, d, t].index]), None)
            for d in range(inst.horizon)
        ]
        for st in inst.staff
    ]


def penalty(inst: Instance, shifts: list[list[str | None]]) -> tuple[int, int]:
    """(whole penalty, under-cover penalty) of a roster given as shift per employee and day."""
    pos = {st.id: e for e, st in enumerate(inst.staff)}
    total = sum(r.weight for r in inst.on_requests if shifts[pos[r.staff]][r.day] != r.shift)
    total += sum(r.weight for r in inst.off_requests if shifts[pos[r.staff]][r.day] == r.shift)
    under = 0
    for c in inst.cover:
        n = sum(1 for row in shifts if row[c.day] == c.shift)
        under += max(0, c.requirement - n) * c.under_weight
        total += max(0, n - c.requirement) * c.over_weight
    return total + under, under


def _requests(inst: Instance, shifts: list[list[str | None]]) -> list[tuple[int, int]]:
    """(employee index, day) of every request the roster does not grant."""
    pos = {st.id: e for e, st in enumerate(inst.staff)}
    out = [
        (pos[r.staff], r.day) for r in inst.on_requests if shifts[pos[r.staff]][r.day] != r.shift
    ]
    out += [
        (pos[r.staff], r.day) for r in inst.off_requests if shifts[pos[r.staff]][r.day] == r.shift
    ]
    return out


def full_solve(model, limit, workers, seed, level, stop_at, log, start, hint=None, subsolvers=()):
    """CP-SAT on the whole model; stops at ``stop_at`` once a solution exists."""
    if hint is not None:
        model.clear_hints()
        model.proto.solution_hint.vars.extend(range(len(hint)))
        model.proto.solution_hint.values.extend(hint)
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, limit)
    p.num_workers = workers
    p.random_seed = seed
    p.linearization_level = level
    p.subsolvers.extend(subsolvers)
    cb = _FirstPhase(stop_at, log, start, solver)
    watcher = threading.Thread(target=cb.watch, daemon=True)
    watcher.start()
    try:
        status = solver.solve(model, cb)
    finally:
        cb.done.set()
        watcher.join()
    ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = list(solver.response_proto.solution) if ok else None
    obj = round(solver.objective_value) if ok else None
    return status, solver.status_name(status), values, obj, solver.best_objective_bound


def improve(
    inst: Instance,
    model: cp_model.CpModel,
    x: dict,
    values: list[int],
    objective: int,
    *,
    deadline: float,
    lanes: int = 2,
    seed: int = 0,
    sub_limit: float = 0.5,
    bound: float = 0.0,
    out: LnsOutcome | None = None,
    start: float = 0.0,
) -> LnsOutcome:
    """LNS from ``values`` (a solution of ``model``) until ``deadline`` (perf_counter)."""
    out = out or LnsOutcome("FEASIBLE", objective, bound, values)
    staff, T, H = inst.staff, inst.shift_ids, inst.horizon
    grid: Grid = {
        (e, d): [x[st.id, d, t].index for t in T] for e, st in enumerate(staff) for d in range(H)
    }
    rng = random.Random(seed)
    moves = _Moves(inst, rng)
    lock = threading.Lock()

    def shifts_of(vals: list[int]) -> list[list[str | None]]:
        return [
            [
                next((t for t, i in zip(T, grid[e, d], strict=True) if vals[i]), None)
                for d in range(H)
            ]
            for e in range(len(staff))
        ]

    def targets(shifts):
        return _missed(inst, shifts), _requests(inst, shifts)

    state = {"values": values, "obj": objective, "shifts": shifts_of(values)}
    state["targets"] = targets(state["shifts"])

    def lane(lane_seed: int) -> None:
        while True:
            left = deadline - time.perf_counter()
            if left < 0.15 or state["obj"] <= bound:
                return
            with lock:
                vals = state["values"]
                fam, cells = moves.draw(state["shifts"], *state["targets"])
            sub = model.clone()
            for (e, d), idx in grid.items():
                if (e, d) in cells:
                    continue
                for i in idx:
                    dom = sub.proto.variables[i].domain
                    dom.clear()
                    dom.extend([vals[i], vals[i]])
            sub.clear_hints()
            sub.proto.solution_hint.vars.extend(range(len(vals)))
            sub.proto.solution_hint.values.extend(vals)
            s2 = cp_model.CpSolver()
            q = s2.parameters
            q.max_time_in_seconds = max(0.05, min(sub_limit, left - 0.1))
            q.num_workers = 1
            q.random_seed = lane_seed
            q.linearization_level = 1
            st = s2.solve(sub)
            ok = st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            with lock:
                moves.feedback(
                    fam, st == cp_model.OPTIMAL, ok and round(s2.objective_value) < state["obj"]
                )
                out.iterations += 1
                tally = out.stats.setdefault(fam, [0, 0, 0])
                tally[0] += 1
                tally[1] += st == cp_model.OPTIMAL
                if not ok:
                    continue
                new = round(s2.objective_value)
                if new > state["obj"]:
                    continue
                if new < state["obj"]:
                    tally[2] += 1
                    out.improvements += 1
                    out.log.append((time.perf_counter() - start, new))
                elif state["values"] is not vals:
                    continue  # another lane moved the incumbent meanwhile; keep theirs
                sol = list(s2.response_proto.solution)
                state["values"], state["obj"] = sol, new
                state["shifts"] = shifts_of(sol)
                state["targets"] = targets(state["shifts"])

    threads = [
        threading.Thread(target=lane, args=(rng.randrange(1 << 30),)) for _ in range(max(1, lanes))
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.values, out.objective = state["values"], state["obj"]
    return out


def run_probe(model, start, time_limit, share, workers, seed, level, log) -> LnsOutcome:
    """The first step of both searches: CP-SAT on the whole model for ``share`` of the time
    (at least min(3 s, 25%)) or until a first roster. Status OPTIMAL when it proves the roster
    optimal (small instances); FEASIBLE when there is a roster to improve; otherwise CP-SAT's
    status and no roster."""
    stop_at = start + max(share * time_limit, min(3.0, 0.25 * time_limit))
    left = start + time_limit - time.perf_counter()
    status, name, values, obj, bound = full_solve(
        model, left, workers, seed, level, stop_at, log, start
    )
    if values is None:
        return LnsOutcome(name, None, None, None, log=log)
    proved = status == cp_model.OPTIMAL or obj <= bound
    return LnsOutcome("OPTIMAL" if proved else "FEASIBLE", obj, bound, values, log=log)


def solve_lns(
    inst: Instance,
    parts,
    *,
    time_limit: float,
    workers: int = 2,
    seed: int = 0,
    start: float | None = None,
    probe: float = 0.05,
    cover_first: float = 0.45,
    second_full: float = 0.0,
    cover_subsolvers: tuple[str, ...] = (),
    sub_limit: float = 0.5,
    linearization_level: int = 2,
) -> LnsOutcome:
    """Minimise the model of :func:`openpcn.rota_benchmark.model.build_parts`.

    1. ``probe``: the full model for that share of the time (or until a first roster): it
       proves small instances optimal and gives a lower bound.
    2. ``cover_first``: minimise the under-cover penalty alone until that share of the time
       has passed (not hinted with the probe's roster: from scratch it reached fewer missed
       covers in tests); its bound is also a bound on the whole objective.
    3. The whole objective with the under-cover penalty capped at what step 2 reached: a full
       CP-SAT solve for ``second_full`` of the time (default 0: none), then LNS
       (:func:`improve`, ``workers`` lanes, sub-solves of at most ``sub_limit`` s) to the end.
       The LNS can still lower the under-cover (the cap is an upper bound only).

    ``cover_subsolvers`` names CP-SAT's full-problem subsolvers for step 2 (default: CP-SAT's
    choice); the best bound reported is the larger of steps 1 and 2 (both valid for the whole
    objective), so a roster is only called OPTIMAL when it reaches it.
    """
    start = time.perf_counter() if start is None else start
    deadline = start + time_limit
    model, x = parts.model, parts.x
    log: list[tuple[float, int]] = []

    def left() -> float:
        return deadline - time.perf_counter()

    out = run_probe(model, start, time_limit, probe, workers, seed, linearization_level, log)
    if out.status != "FEASIBLE":  # proved optimal, or no roster
        return out
    values, obj, bound = out.values, out.objective, out.best_bound
    out.phases.append(("probe", time.perf_counter() - start, obj))
    if cover_first > 0 and left() > 0.5:
        model.minimize(parts.cover_under)
        cover_end = start + (probe + cover_first) * time_limit
        u0 = penalty(inst, shifts(inst, x, values))[1]
        st_a, _, va, ua, ba = full_solve(
            model,
            left(),
            workers,
            seed,
            linearization_level,
            cover_end,
            [],
            start,
            subsolvers=cover_subsolvers,
        )
        model.minimize(parts.objective)
        if va is not None:
            bound = max(bound, ba)
            model.add(parts.cover_under <= ua)
            if ua < u0:
                values = va
                obj = penalty(inst, shifts(inst, x, va))[0]
                log.append((time.perf_counter() - start, obj))
            out.phases.append(("cover", time.perf_counter() - start, ua))
    if second_full > 0 and left() > 0.5:
        _, _, vb, ob, _ = full_solve(
            model,
            min(left(), second_full * time_limit),
            workers,
            seed,
            linearization_level,
            deadline,
            log,
            start,
            hint=values,
        )
        if vb is not None and ob <= obj:
            values, obj = vb, ob
    out.values, out.objective, out.best_bound = values, obj, bound
    if left() > 0.3 and obj > bound:
        improve(
            inst,
            model,
            x,
            values,
            obj,
            deadline=deadline,
            lanes=workers,
            seed=seed,
            sub_limit=sub_limit,
            bound=bound,
            out=out,
            start=start,
        )
    out.status = "OPTIMAL" if out.objective <= bound else "FEASIBLE"
    return out
