"""Reading a change's fields: dates, numbers, WTEs, ODS codes and sessions by practice, each
refused with a :class:`ChangeError` that names the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


class ChangeError(ValueError):
    """A change that cannot be made, with a message naming the change."""


def _date(value: Any, what: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ChangeError(f"{what} must be a date like 2026-07-01, not {value!r}") from None


def _decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool):
        raise ChangeError(f"{what} must be a number, not {value!r}")
    try:
        out = Decimal(str(value))
    except InvalidOperation:
        raise ChangeError(f"{what} must be a number, not {value!r}") from None
    if not out.is_finite():
        raise ChangeError(f"{what} must be a number, not {value!r}")
    return out


def _wte(value: Any, what: str) -> Decimal:
    w = _decimal(value, what)
    if not Decimal(0) < w <= Decimal(1):
        raise ChangeError(f"{what} must be more than 0 and at most 1, not {w}")
    return w


def _code(value: Any, what: str) -> str:
    text = str(value or "").strip().upper()
    if not text:
        raise ChangeError(f"{what} is blank")
    return text


def _sessions(value: Any, what: str) -> tuple[tuple[str, Decimal], ...]:
    """Sessions by practice as a sorted tuple of (practice, sessions), from a mapping, pairs or
    text like "A00001:4; A00002:5"."""
    if value is None or value == "" or value == ():
        return ()
    if isinstance(value, str):
        pairs = []
        for part in value.replace(",", ";").split(";"):
            if not part.strip():
                continue
            code, sep, n = part.partition(":")
            if not sep:
                raise ChangeError(f"{what}: write sessions like A00001:4; A00002:5, not {part!r}")
            pairs.append((code, n))
    elif isinstance(value, dict):
        pairs = list(value.items())
    else:
        pairs = list(value)
    out = {}
    for code, n in pairs:
        code = _code(code, f"{what}: a sessions practice")
        v = _decimal(n, f"{what}: sessions at {code}")
        if v < 0 or v * 2 != int(v * 2):
            raise ChangeError(f"{what}: sessions at {code} must be 0 or more in half sessions")
        out[code] = v
    return tuple(sorted(out.items()))
