"""Anytime progress of a benchmark-format solve: (seconds, objective, bound) as it improves.

Every search here finds rosters and bounds in several phases (a greedy roster, CP-SAT,
column generation, dives, LNS). :class:`Reporter` is what each phase tells: it passes a
report to the caller's function only when the best roster or the best bound improves, so the
caller (the CLI's progress lines, a benchmark's log) sees one monotone series whichever phase
found it.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

ProgressFn = Callable[[float, int, float | None], None]  # seconds, objective, bound


class Reporter:
    """Monotone progress: reports a better roster, or a better bound once a roster exists."""

    def __init__(self, start: float, fn: ProgressFn | None) -> None:
        self.start, self.fn = start, fn
        self.objective: int | None = None
        self.bound: float | None = None
        self._lock = threading.Lock()  # LNS lanes report from their own threads

    def roster(self, objective: int, bound: float | None = None) -> None:
        with self._lock:
            better = self.objective is None or objective < self.objective
            if better:
                self.objective = objective
            raised = self._raise(bound)
            report = self.fn and (better or (raised and self.objective is not None))
        if report:
            self._send()

    def bound_is(self, bound: float | None) -> None:
        with self._lock:
            report = self.fn and self._raise(bound) and self.objective is not None
        if report:
            self._send()

    def _raise(self, bound: float | None) -> bool:
        if bound is None or not math.isfinite(bound):
            return False
        if self.bound is not None and bound <= self.bound:
            return False
        self.bound = bound
        return True

    def _send(self) -> None:
        self.fn(time.perf_counter() - self.start, self.objective, self.bound)
