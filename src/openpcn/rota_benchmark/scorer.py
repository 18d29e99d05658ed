"""Independent scorer for the schedulingbenchmarks.org staff-rostering format.

Recomputes a roster's penalty and its hard-constraint violations from the instance text and
the roster text alone.  Deliberately shares no code with the parser or the CP-SAT model in this
package (its own small reader, run-length logic instead of clauses), so a bug in one is caught
by the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class ScoreInputError(ValueError):
    """Bad instance or roster text; the message names the file and line."""


@dataclass
class Score:
    penalty: int
    violations: list[str] = field(default_factory=list)  # hard constraints broken, in words
    breakdown: dict[str, int] = field(default_factory=dict)  # penalty by kind

    @property
    def feasible(self) -> bool:
        return not self.violations


def _sections(text: str, source: str) -> dict[str, list[tuple[int, list[str]]]]:
    out: dict[str, list[tuple[int, list[str]]]] = {}
    name = None
    for i, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("SECTION_"):
            name = line[8:].strip()
            out[name] = []
        elif name is None:
            raise ScoreInputError(f"{source}, line {i}: data before any section")
        else:
            out[name].append((i, [p.strip() for p in line.split(",")]))
    return out


def _runs(bits: list[bool]) -> list[tuple[int, int, bool]]:
    """(start, length, value) of each maximal run."""
    runs: list[tuple[int, int, bool]] = []
    for i, b in enumerate(bits):
        if runs and runs[-1][2] == b:
            s, n, v = runs[-1]
            runs[-1] = (s, n + 1, v)
        else:
            runs.append((i, 1, b))
    return runs


def score(instance_text: str, roster_text: str, roster_source: str = "<roster>") -> Score:
    sec = _sections(instance_text, "<instance>")
    horizon = int(sec["HORIZON"][0][1][0])
    length: dict[str, int] = {}
    banned: dict[str, set[str]] = {}
    for _, p in sec["SHIFTS"]:
        length[p[0]] = int(p[1])
        banned[p[0]] = {q.strip() for q in p[2].split("|") if q.strip()}
    staff: dict[str, list[str]] = {p[0]: p for _, p in sec["STAFF"]}

    roster: dict[str, list[str]] = {}
    for i, raw in enumerate(roster_text.splitlines(), 1):
        line = raw.split("#")[0]
        if not line.strip():
            continue
        p = [q.strip() for q in line.split(",")]
        if p[0] not in staff:
            raise ScoreInputError(f"{roster_source}, line {i}: unknown employee {p[0]!r}")
        if len(p) != horizon + 1:
            raise ScoreInputError(
                f"{roster_source}, line {i}: expected {horizon} day fields, got {len(p) - 1}"
            )
        for v in p[1:]:
            if v and v not in length:
                raise ScoreInputError(f"{roster_source}, line {i}: unknown shift {v!r}")
        roster[p[0]] = p[1:]
    violations: list[str] = []
    for e in staff:
        if e not in roster:
            violations.append(f"{e}: missing from the roster")
            roster[e] = [""] * horizon

    for e, p in staff.items():
        days = roster[e]
        limits = {}
        for item in p[1].split("|"):
            if "=" in item:
                k, v = item.split("=")
                limits[k.strip()] = int(v)
        for t, lim in limits.items():
            n = sum(1 for s in days if s == t)
            if n > lim:
                violations.append(f"{e}: {n} shifts of type {t}, maximum {lim}")
        mins = sum(length[s] for s in days if s)
        if mins > int(p[2]):
            violations.append(f"{e}: {mins} minutes, maximum {p[2]}")
        if mins < int(p[3]):
            violations.append(f"{e}: {mins} minutes, minimum {p[3]}")
        max_cons, min_cons, min_off, max_wk = int(p[4]), int(p[5]), int(p[6]), int(p[7])
        for start, n, worked in _runs([bool(s) for s in days]):
            edge = start == 0 or start + n == horizon
            if worked and n > max_cons:
                violations.append(f"{e}: {n} consecutive shifts from day {start}, max {max_cons}")
            if worked and n < min_cons and not edge:
                violations.append(f"{e}: {n} consecutive shifts from day {start}, min {min_cons}")
            if not worked and n < min_off and not edge:
                violations.append(f"{e}: {n} consecutive days off from day {start}, min {min_off}")
        weekends = sum(1 for w in range(horizon // 7) if days[7 * w + 5] or days[7 * w + 6])
        if weekends > max_wk:
            violations.append(f"{e}: {weekends} weekends worked, maximum {max_wk}")
        for d in range(horizon - 1):
            if days[d] and days[d + 1] in banned[days[d]]:
                violations.append(f"{e}: shift {days[d + 1]} on day {d + 1} follows {days[d]}")
    for _, p in sec.get("DAYS_OFF", []):
        for d in p[1:]:
            if d and roster[p[0]][int(d)]:
                violations.append(f"{p[0]}: works on day {d}, a day off")

    breakdown = {"shift_on_requests": 0, "shift_off_requests": 0, "cover_under": 0, "cover_over": 0}
    for _, (e, d, t, w) in sec.get("SHIFT_ON_REQUESTS", []):
        if roster[e][int(d)] != t:
            breakdown["shift_on_requests"] += int(w)
    for _, (e, d, t, w) in sec.get("SHIFT_OFF_REQUESTS", []):
        if roster[e][int(d)] == t:
            breakdown["shift_off_requests"] += int(w)
    for _, (d, t, req, under, over) in sec.get("COVER", []):
        n = sum(1 for e in staff if roster[e][int(d)] == t)
        breakdown["cover_under"] += max(0, int(req) - n) * int(under)
        breakdown["cover_over"] += max(0, n - int(req)) * int(over)
    return Score(sum(breakdown.values()), violations, breakdown)


def score_files(instance_path: str | Path, roster_path: str | Path) -> Score:
    return score(
        Path(instance_path).read_text(encoding="utf-8"),
        Path(roster_path).read_text(encoding="utf-8"),
        str(roster_path),
    )
