"""The rules page: one financial year's rule rows and ARRS roles, each with its source and
whether it is verified, and the gaps: role maxima that are not published (a claim is then
capped by the actual pay + on-costs) or not verified."""

from __future__ import annotations

from django.shortcuts import render

from openpcn.rules import RuleNotFound, load_all, load_year
from openpcn.rules.current import chosen_year
from openpcn.rules.keys import describe
from openpcn.rules.maxima import gaps
from openpcn.web.platform.access import PUBLIC, access
from openpcn.web.platform.errors import render_error


def year_rules(year: str) -> dict:
    """What the page shows for ``year``: rows, roles, unpublished and unverified maxima."""
    rules = load_year(year)
    rows = [
        {
            "key": r.key,
            "what": describe(r.key),
            "value": "no figure" if r.unit == "none" else r.value,
            "unit": "" if r.unit == "none" else r.unit,
            "applies_from": r.applies_from,
            "applies_to": r.applies_to,
            "verified": r.verified,
            "confidence": r.confidence,
            "tags": ", ".join(r.source_tags),
            "source": r.source,
            "note": "; ".join(
                t
                for t in (
                    r.caveat if r.unit != "none" else "",  # a none row's note says it all
                    r.derivation and f"derived: {r.derivation}",
                    r.note,
                )
                if t
            ),
        }
        for r in rules.rows()
    ]
    every = gaps(rules, unverified=True)
    return {
        "year": str(rules.year),
        "rows": rows,
        "roles": rules.roles,
        "unpublished": [g for g in every if g.kind == "unpublished"],
        "unverified": [g for g in every if g.kind == "unverified"],
    }


@access(PUBLIC)
def rules_page(request):
    try:
        year = chosen_year(request.GET.get("year") or None)
    except RuleNotFound as exc:
        return render_error(request, 404, str(exc))
    except ValueError as exc:
        return render_error(request, 404, str(exc))
    context = year_rules(year)
    return render(
        request,
        "web/rules.jinja",
        {"page_title": f"Rules for {year}", "years": list(load_all()), **context},
    )
