"""Rule pages, public (the national rules are published): /rules/ and /rules/<year>/ (one
year's rules and gaps), /rules/diff/; and an ICB's overlay page (its commissioners and
administrators; each save is a new version, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from openpcn.core.fyear import FinancialYear
from openpcn.core.roles import Role
from openpcn.data.rules import overlays as overlays_db
from openpcn.rules.current import chosen_year, missing_year_message
from openpcn.rules.loader import RuleFileError, RuleNotFound, load_all, load_year
from openpcn.rules.overlays import OverlayError
from openpcn.web.platform.access import PUBLIC, access, in_scope
from openpcn.web.platform.errors import render_error
from openpcn.web.rules import presenters, year_page

OVERLAY_ROLES = {Role.ADMIN, Role.ICB_COMMISSIONER}


def _year(request, name: str, default: str | None) -> str | None:
    """The year asked for in ``?name=``, else ``default``; None when OpenPCN has no rules for
    it."""
    value = (request.GET.get(name) or default or "").strip()
    return value if value in presenters.years() else None


def _this_year() -> str | None:
    """The financial year today falls in (rules.current.chosen_year), None without its file."""
    try:
        return chosen_year()
    except RuleNotFound:
        return None


def _no_year(request, asked: str | None):
    """404 naming what is missing: the year asked for, or this year's rule file."""
    if asked is None:
        return render_error(request, 404, missing_year_message(FinancialYear.current()))
    have = ", ".join(presenters.years())
    return render_error(request, 404, f"OpenPCN has rules for {have}; choose one of those.")


@access(PUBLIC)
def year(request, year: str | None = None):
    """One year's rules (default: the year today falls in), with the gaps."""
    try:
        chosen = chosen_year(year or request.GET.get("year"))
        rules = load_year(chosen)
    except (ValueError, RuleNotFound, RuleFileError) as exc:
        return render_error(request, 404, str(exc))
    ctx = year_page.context(rules, list(load_all()))
    ctx["breadcrumbs"] = [{"text": "Home", "href": "/"}]
    return render(request, "rules/year.jinja", ctx)


@access(PUBLIC)
def rules_diff(request):
    year_to = _year(request, "to", _this_year())
    if year_to is None:
        return _no_year(request, request.GET.get("to"))
    year_from = _year(request, "from", presenters.previous_year(year_to))
    if year_from is None:
        return _no_year(request, request.GET.get("from"))
    view = presenters.diff_page(year_from, year_to)
    return render(
        request,
        "rules/diff.jinja",
        {
            "page_title": f"What changed in the rules, {year_from} to {year_to}",
            "view": view,
            "years": presenters.years(),
            "breadcrumbs": [{"text": "Home", "href": "/"}],
        },
    )


@access(in_scope("code", "icb", roles=OVERLAY_ROLES, name="ICB overlay in scope"))
def icb_overlay(request, code):
    icb = code.upper()
    year = _year(request, "year", _this_year())
    if year is None:
        return _no_year(request, request.GET.get("year"))
    errors: list[str] = []
    posted = None
    if request.method == "POST":
        posted = request.POST.get("text", "")
        comment = request.POST.get("comment", "")
        try:
            saved, _overlay = overlays_db.save_overlay(
                icb, year, posted, user=request.user, comment=comment, request=request
            )
        except OverlayError as exc:
            errors = [line for line in str(exc).splitlines() if line.strip()]
        else:
            messages.success(request, f"Saved as version {saved.version}; it is now in force.")
            return redirect(f"{reverse('rules:icb-overlay', kwargs={'code': icb})}?year={year}")
    version = request.GET.get("version", "")
    view = presenters.overlay_page(icb, year, int(version) if version.isdigit() else None)
    if posted is not None:
        view["text"] = posted
    return render(
        request,
        "rules/overlay.jinja",
        {
            "page_title": f"Local variation {year}: {view['name'] or icb}",
            "view": view,
            "errors": errors,
            "comment": request.POST.get("comment", "") if errors else "",
            "breadcrumbs": [
                {"text": "Home", "href": "/"},
                {"text": view["name"] or icb, "href": reverse("web:icb", kwargs={"code": icb})},
            ],
        },
        status=400 if errors else 200,
    )
