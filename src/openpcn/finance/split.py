"""Income split between member practices: the parts always add up to the total, to the penny.

::

    from openpcn.finance.split import split, by_list, equally, by_percentages, by_points

    shares = by_list(Decimal("158974.70"), {"A00001": 5210, "A00002": 3120})

Method: the total in pennies T is shared in proportion to each practice's weight w (list size,
1 each, percentage or points): exact share T x w / sum(w). Each practice first gets the whole
pennies of its exact share; the pennies left over (fewer than the number of practices) go one
each to the largest fractional remainders, ties broken by practice code (A before B). So the
split is deterministic, no practice is ever more than a penny from its exact share, and the
shares add up to T exactly: over- or under-distribution cannot happen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from openpcn.core.figures import Figure
from openpcn.finance.errors import FinanceError
from openpcn.finance.money import PENNY, pennies
from openpcn.finance.money import total as money_total

METHODS = ("registered", "weighted", "adjusted", "equal", "percentages", "points")
#: the methods that share by a list size from a population file (the others need none)
LIST_METHODS = ("registered", "weighted", "adjusted")


@dataclass(frozen=True)
class Share:
    practice_code: str
    weight: Decimal
    amount: Decimal

    @property
    def figure(self) -> Figure:
        return Figure(label=f"Share for {self.practice_code}", value=self.amount, unit="GBP")

    def explained(
        self, total: Decimal, shares: list[Share], basis: str, data: tuple = ()
    ) -> Figure:
        """The share with its working: the total x this weight / all weights, to the penny
        by the largest-remainder rule (``basis`` names what the weights are)."""
        weights = sum((s.weight for s in shares), Decimal(0))
        exact = total * self.weight / weights if weights else Decimal(0)
        return Figure(
            label=f"Share for {self.practice_code}",
            value=self.amount,
            unit="GBP",
            method=(
                f"£{total:,.2f} x {self.weight:,} / {weights:,} ({basis}) = £{exact:,.4f};"
                " every practice gets the whole pennies of its exact share and the pennies left"
                " over go one each to the largest remainders (ties by practice code), so the"
                " parts add up to the total"
            ),
            data=tuple(data),
        )


def _check_total(total: object) -> Decimal:
    if not isinstance(total, Decimal | int) or isinstance(total, bool):
        raise FinanceError(f"total must be a Decimal amount, not {type(total).__name__}")
    total = Decimal(total)
    if not total.is_finite() or total < 0:
        raise FinanceError(f"total must be 0 or more, not {total}")
    if total != total.quantize(PENNY):
        raise FinanceError(f"total {total} is not a whole number of pennies")
    return total


def split(
    total: Decimal, weights: Mapping[str, Decimal | int], method: str = "weights"
) -> list[Share]:
    """Share ``total`` in proportion to ``weights`` (practice code -> weight >= 0)."""
    total = _check_total(total)
    if not weights:
        raise FinanceError("no practices to split between")
    clean: dict[str, Decimal] = {}
    for code, w in weights.items():
        code = str(code).strip().upper()
        if not code:
            raise FinanceError("a practice code is blank")
        if code in clean:
            raise FinanceError(f"practice {code} is listed twice")
        if isinstance(w, bool) or not isinstance(w, Decimal | int):
            raise FinanceError(f"{method} for {code} must be a number, not {w!r}")
        w = Decimal(w)
        if not w.is_finite() or w < 0:
            raise FinanceError(f"{method} for {code} must be 0 or more, not {w}")
        clean[code] = w
    whole = sum(clean.values(), Decimal(0))
    if whole == 0:
        raise FinanceError(f"the {method} add up to 0: nothing to split by")
    pennies_total = int(total / PENNY)
    floors: dict[str, int] = {}
    remainders: list[tuple[Decimal, str]] = []
    for code, w in clean.items():
        # integer arithmetic on the numerator keeps the remainder exact
        num = pennies_total * w
        q = int(num // whole)
        floors[code] = q
        remainders.append((num - q * whole, code))
    left = pennies_total - sum(floors.values())
    remainders.sort(key=lambda rc: (-rc[0], rc[1]))
    for _, code in remainders[:left]:
        floors[code] += 1
    return [Share(code, clean[code], Decimal(floors[code]) * PENNY) for code in sorted(clean)]


def practice_lists(populations, pcn_code: str, basis: str) -> dict[str, int]:
    """Practice code -> its registered, weighted or adjusted list in a
    :class:`openpcn.finance.populations.Populations` (FinanceError if a weighted list is absent).
    """
    if basis not in ("registered", "weighted", "adjusted"):
        raise FinanceError(f"basis must be registered, weighted or adjusted, not {basis!r}")
    field = {"registered": "raw_list_size", "weighted": "weighted_population",
             "adjusted": "adjusted_population"}[basis]  # fmt: skip
    pcn = populations[pcn_code]
    members = [p for p in populations.practices if p.practice_code in pcn.practices]
    sizes = {p.practice_code: getattr(p, field) for p in members}
    missing = sorted(c for c, v in sizes.items() if v is None)
    if missing:
        raise FinanceError(
            f"{populations.source} has no {basis} list for {', '.join(missing)}: choose another"
            " basis"
        )
    return sizes


def by_list(total: Decimal, list_sizes: Mapping[str, int]) -> list[Share]:
    """By registered, weighted or adjusted list size (pass the one agreed)."""
    return split(total, list_sizes, "list sizes")


def equally(total: Decimal, practice_codes: list[str]) -> list[Share]:
    return split(total, {c: 1 for c in practice_codes}, "equal shares")


def by_points(total: Decimal, points: Mapping[str, Decimal | int]) -> list[Share]:
    return split(total, points, "points")


def by_percentages(total: Decimal, percentages: Mapping[str, Decimal | int]) -> list[Share]:
    """Custom percentages: each 0 or more, together exactly 100."""
    for code, pct in percentages.items():
        if isinstance(pct, bool) or not isinstance(pct, Decimal | int):
            raise FinanceError(f"percentage for {code} must be a number, not {pct!r}")
        if Decimal(pct) < 0:
            raise FinanceError(f"percentage for {code} is negative ({pct})")
    whole = sum((Decimal(p) for p in percentages.values()), Decimal(0))
    if whole != 100:
        raise FinanceError(f"percentages add up to {whole}, not 100")
    return split(total, percentages, "percentages")


def split_by(
    method: str,
    total: Decimal,
    *,
    practices: list[str] = (),
    weights: Mapping[str, Decimal | int] | None = None,
    lists: Mapping[str, int] | None = None,
) -> list[Share]:
    """Share ``total`` by one of :data:`METHODS`: a list method by ``lists`` (practice ->
    list size, see :func:`practice_lists`), ``equal`` among ``practices``, ``percentages`` or
    ``points`` by ``weights``."""
    if method in LIST_METHODS:
        return by_list(total, lists or {})
    if method == "equal":
        return equally(total, list(practices))
    if method == "percentages":
        return by_percentages(total, weights or {})
    if method == "points":
        return by_points(total, weights or {})
    raise FinanceError(f"split method must be one of {', '.join(METHODS)}, not {method!r}")


def shares_total(shares: list[Share]) -> Decimal:
    """What the shares add up to (the total split, to the penny)."""
    return money_total(s.amount for s in shares)


def practice_parts(streams, mine: int, whole: int) -> tuple[Decimal, list[tuple[object, Decimal]]]:
    """A practice's part of each entitlement stream the PCN can have, by registered list
    (``mine`` of the PCN's ``whole``): (the share, [(stream, its part to the penny, half
    up, as every amount OpenPCN shows)])."""
    share = Decimal(mine) / Decimal(whole)
    parts = [(s, pennies(s.annual_amount * share)) for s in streams
             if s.available and s.annual_amount]  # fmt: skip
    return share, parts
