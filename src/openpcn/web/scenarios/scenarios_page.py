"""The scenarios page of a PCN: the actions its forms post (create, add a change, solve the
sample-week rota, discard, adopt), each saved through the data layer, and the page's context
(the list, up to four compared beside the baseline, the forms' choices)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.urls import reverse

from openpcn.data.finance.register import member_practices
from openpcn.data.scenarios import adopt, rota_runs, store
from openpcn.scenarios.changes import KINDS, ChangeError
from openpcn.scenarios.export import save, workbook
from openpcn.web.platform.errors import PageError
from openpcn.web.scenarios.forms import KIND_FORMS, choices, field_names
from openpcn.web.scenarios.presenters import MAX_COMPARED, Column, rota_view, table


def _fields(text: str) -> dict:
    """'name=value' lines (or comma-separated) -> a change's fields."""
    out = {}
    for part in text.replace(",", "\n").splitlines():
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        if not sep or not key.strip():
            raise ChangeError(f"{part.strip()!r}: write each field as name=value")
        out[key.strip()] = value.strip()
    return out


#: the change kinds with a form of their own on the page (the others: "name=value" lines)
FORMS = {
    "recruit": ("role", "wte", "band", "start", "end", "employer", "base_site", "sessions"),
    "practice_leaves": ("practice", "start"),
} | field_names()


def _form_fields(post, kind: str) -> dict:
    """A kind's own form (inputs named ``<kind>-<field>``) -> its fields; blanks left out."""
    return {
        name: post[f"{kind}-{name}"].strip()
        for name in FORMS.get(kind, ())
        if post.get(f"{kind}-{name}", "").strip()
    }


def _roles(listed) -> list[tuple[str, str]]:
    """(id, name) of the roles the years of the open scenarios fund, for the recruit form."""
    from openpcn.core.fyear import FinancialYear
    from openpcn.rules import load_year
    from openpcn.rules.loader import RuleFileError, RuleNotFound

    out: dict[str, str] = {}
    for year in sorted({str(FinancialYear.containing(sc.as_at)) for sc in listed
                        if sc.status == "open"}):  # fmt: skip
        try:
            out.update((r.id, r.name) for r in load_year(year).roles)
        except (RuleNotFound, RuleFileError):  # a year without rules offers no roles
            continue
    return sorted(out.items(), key=lambda kv: kv[1])


def act(request, org) -> tuple[int | None, list[dict]]:
    """Do the posted action: (the scenario to show, []) or (None, errors naming the form)."""
    action = request.POST.get("action", "")
    try:
        if action == "create":
            return created(request, org, store.create), []
        sc = store.find(org.code, request.POST.get("scenario", ""))
        if sc.pcn_id != org.pk:
            raise store.ScenarioError("that scenario belongs to another PCN")
        if action == "add":
            kind = request.POST.get("kind", "")
            if request.POST.get("form") == kind and kind in FORMS:
                change = {"kind": kind} | _form_fields(request.POST, kind)
            else:
                change = {"kind": kind} | _fields(request.POST.get("fields", ""))
            v = store.add_change(sc, change, user=request.user, request=request)
            messages.success(request, f"{sc.name!r} saved as version {v.version}.")
        elif action == "rota":
            run = rota_runs.start(sc, user=request.user, request=request)
            messages.success(request, f"{sc.name!r}: the sample-week rota is "
                             f"{run.get_state_display().lower()}.")  # fmt: skip
        elif action == "discard":
            store.discard(sc, user=request.user, request=request)
            messages.success(request, f"{sc.name!r} discarded.")
        elif action == "adopt":
            done = adopt.adopt(sc, user=request.user, request=request)
            said = [f"{what} {', '.join(ids) or 'none'}" for what, ids in
                    (("created", done.created), ("changed", done.changed),
                     ("deleted", done.deleted))]  # fmt: skip
            messages.success(request, f"{sc.name!r} adopted: {', '.join(said)}.")
        else:
            raise store.ScenarioError(f"unknown action {action!r}")
        return sc.pk, []
    except (store.ScenarioError, ChangeError) as exc:
        return None, refused(action, exc)


def created(request, org, make) -> int:
    """A new scenario from the form's name and date, made by ``make`` (the PCN's store or the
    ICB's); its id. ScenarioError when the date is not one."""
    try:
        as_at = date.fromisoformat(request.POST.get("as_at", ""))
    except ValueError:
        raise store.ScenarioError("Enter the scenario's date like 2026-07-01") from None
    sc = make(org.code, request.POST.get("name", ""), as_at, [], user=request.user,
              request=request)  # fmt: skip
    messages.success(request, f"Scenario {sc.name!r} saved.")
    return sc.pk


def refused(action: str, exc: Exception) -> list[dict]:
    """The error summary's entry for a refused action: the message, linked to its form."""
    text = str(exc)
    return [{"text": text[:1].upper() + text[1:], "href": "#" + (action or "create")}]


def scenarios_page(org, params, editable: bool, errors: list[dict]) -> dict:
    """The page's context; ``params`` is the query (``show`` ids to compare, ``all=1`` for
    every row, not only those a scenario changes)."""
    listed = list(store.scenarios_of(org.code))
    wanted = [s for s in params.getlist("show") if s.isdigit()][:MAX_COMPARED]
    columns = []
    for sc in listed:
        if str(sc.pk) in wanted:
            try:
                columns.append(Column(sc, store.run(sc)))
            except (store.ScenarioError, ChangeError) as exc:
                columns.append(Column(sc, None, str(exc)))
    versions = {sc.pk: store.latest(sc) for sc in listed}
    members = member_practices(org.code) if editable else []
    rotas = {
        c.scenario.pk: rota_view(rota_runs.latest_run(c.scenario),
                                 versions[c.scenario.pk].version if versions[c.scenario.pk] else 0)
        for c in columns
    }  # fmt: skip
    solving = [r for r in rotas.values() if r and r["run"].state in ("queued", "solving")]
    return {
        "page_title": f"What-if scenarios: {org.name}",
        "org": org,
        "listed": listed,
        "versions": versions,
        "columns": columns,
        "rotas": rotas,
        "refresh": bool(solving),
        "rows": table(columns, every=params.get("all") == "1"),
        "editable": editable,
        "errors": errors,
        "kinds": list(KINDS),
        "roles": _roles(listed) if editable else [],
        "members": members,
        "kind_forms": KIND_FORMS,
        "choices": choices(org.code, members) if editable else {},
        "max_compared": MAX_COMPARED,
        "breadcrumbs": [
            {"text": "Home", "href": "/"},
            {"text": org.name, "href": reverse("web:network", kwargs={"code": org.code})},
        ],
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scenario_workbook(org, scenario: str) -> tuple[bytes, str]:
    """(the workbook of one of the PCN's scenarios: its effects beside the baseline, its file
    name); PageError 404 when it is not one of the PCN's, 422 when it no longer runs."""
    try:
        sc = store.find(org.code, scenario)
    except store.ScenarioError as exc:
        raise PageError(404, str(exc)) from None
    if sc.pcn_id != org.pk:
        raise PageError(404, f"scenario {scenario} is not one of {org.code}'s")
    try:
        result = store.run(sc)
    except (store.ScenarioError, ChangeError) as exc:
        raise PageError(422, str(exc)) from None
    v = store.latest(sc)
    title = (f"{sc.name}: {org.name} ({org.code}) as at {sc.as_at}, version"
             f" {v.version if v else 0}, {sc.status}")  # fmt: skip
    return save(workbook(result, title)), f"scenario-{sc.pk}.xlsx"
