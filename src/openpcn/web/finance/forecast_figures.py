"""The forecast page's figures, each with how it was worked out: the ARRS sum (the
entitlement's own explanation), what was claimed, what is projected, and what would be lost."""

from __future__ import annotations

from openpcn.core.figures import DataRef, Figure
from openpcn.finance.forecast import Forecast


def pot_figures(fc: Forecast, sum_figures: dict, notes: tuple[str, ...]) -> dict[str, dict]:
    """{pot: {"sum", "claimed", "projected", "gap"}} as Figures."""
    out = {}
    month = f"{fc.as_of:%B %Y}"
    for name, p in fc.pots.items():
        total = sum_figures.get(name) or Figure(
            label="ARRS sum" if name == "arrs" else "GP sum", value=p.sum, unit="GBP"
        )
        claimed = Figure(
            label=f"Claimed before {month}",
            value=p.actual,
            unit="GBP",
            method=f"the PCN's submitted and approved ARRS claims for the months of {fc.rules.year}"
            f" before {month}, from the claims ledger",
            data=(DataRef(source="ARRS claims ledger", as_of=fc.as_of),),
        )
        projected = Figure(
            label="Projected to 31 March",
            value=p.projected,
            unit="GBP",
            method=(
                f"from {month} to 31 March: each post in the staff register at its usual monthly"
                " pay plus employer on-costs, capped each month at its role's maximum x WTE and"
                " stopping at its end date; each vacancy from its planned start"
                + (f" ({'; '.join(notes)})" if notes else "")
            ),
            rules=tuple(r.as_rule_ref() for r in fc.rules_used),
            data=(DataRef(source="staff register and vacancies", as_of=fc.as_of),),
        )
        lost = p.underspend or -p.overspend
        gap = Figure(
            label="Projected underspend (lost on 31 March)" if p.underspend else "Overspend",
            value=abs(lost),
            unit="GBP",
            method="sum - (claimed + projected); unspent ARRS money is not carried forward"
            if p.underspend
            else "(claimed + projected) - sum: not reimbursed",
            inputs=(total, claimed, projected),
        )
        out[name] = {"sum": total, "claimed": claimed, "projected": projected, "gap": gap}
    return out
