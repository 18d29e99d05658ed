"""Rules pages (public: the DES rules are published information)."""

from __future__ import annotations

from django.shortcuts import render

from openpcn.rules.current import chosen_year
from openpcn.rules.loader import RuleFileError, RuleNotFound, load_all, load_year
from openpcn.web.platform.access import PUBLIC, access
from openpcn.web.platform.errors import render_error
from openpcn.web.rules import year_page


@access(PUBLIC)
def year(request, year: str | None = None):
    try:
        chosen = chosen_year(year or request.GET.get("year"))
        rules = load_year(chosen)
    except (ValueError, RuleNotFound, RuleFileError) as exc:
        return render_error(request, 404, str(exc))
    ctx = year_page.context(rules, list(load_all()))
    ctx["breadcrumbs"] = [{"text": "Home", "href": "/"}]
    return render(request, "rules/year.jinja", ctx)
