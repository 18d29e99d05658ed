"""Page presenters for neighbourhoods: the list in the user's scope, the create form, the
detail page (local authorities, LSOAs by IMD decile with a chart, PCNs, partners) and the
add-partner form. Figures come from ``openpcn.data.neighbourhoods``; views only render."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpcn.core.figures import DataRef, Figure
from openpcn.core.roles import Role
from openpcn.data.accounts import audit
from openpcn.data.neighbourhoods import queries, residence, store
from openpcn.data.registry.models import Organisation
from openpcn.neighbourhoods.areas import DECILES, read_codes
from openpcn.web.neighbourhoods import residence_pages
from openpcn.web.neighbourhoods.forms import CreateForm, PartnerForm
from openpcn.web.platform import charts
from openpcn.web.platform.errors import PageError

MAX_UPLOAD = 2 * 1024 * 1024


def list_page(user, on: date) -> dict:
    is_admin = user.role == Role.ADMIN
    seen = queries.visible(user.scope_code, is_admin, on)
    rows = []
    for s in seen:
        fp = queries.footprint_at(s.neighbourhood, on)
        rows.append(
            {
                "nb": s.neighbourhood,
                "via": s.via,
                "lsoas": fp.lsoas.count() if fp else 0,
                "since": fp.start if fp else None,
            }
        )
    return {
        "page_title": "Neighbourhoods",
        "rows": rows,
        "create_for": None if is_admin else user.scope_code,
        "is_admin": is_admin,
        "loaded": bool(queries.areas()),
        "icb_view": user.scope_code if user.role == Role.ICB_COMMISSIONER else None,
    }


def _choices(code: str, on: date):
    lads = [(c, f"{n} ({c}, {k} LSOAs)") for c, n, k in queries.local_authorities()]
    pcns = [(p.code, f"{p.name} ({p.code})") for p in queries.pcns_in(code, on)]
    return lads, pcns


def create_form(owner: Organisation, on: date, data=None, files=None) -> CreateForm:
    lads, pcns = _choices(owner.code, on)
    return CreateForm(data, files, lad_choices=lads, pcn_choices=pcns)


def create(request, owner: Organisation, on: date):
    """(form, problems, neighbourhood or None) for a POSTed create form."""
    form = create_form(owner, on, request.POST, request.FILES)
    if not form.is_valid():
        return form, [], None
    d = form.cleaned_data
    pairs, how = [], []
    if d["lsoas"].strip():
        pairs += read_codes(d["lsoas"])
        how.append("pasted LSOA codes")
    upload = d.get("lsoa_file")
    if upload:
        if upload.size > MAX_UPLOAD:
            return form, [f"{upload.name} is over 2 MB: upload a list of LSOA codes only"], None
        try:
            pairs += read_codes(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            return form, [f"{upload.name} is not UTF-8 text: save it as CSV or plain text"], None
        how.append(f"uploaded list {upload.name}")
    if d["lads"]:
        pairs += [(None, c) for c in queries.lsoas_of(d["lads"])]
        how.append("every LSOA of " + ", ".join(d["lads"]))
    try:
        nb = store.create(
            d["name"],
            owner.code,
            pairs,
            d["start"],
            pcns=d["pcns"],
            by=request.user.get_username(),
            how="; ".join(how),
        )
    except store.NeighbourhoodError as e:
        return form, e.problems, None
    audit.record(
        request,
        "neighbourhood created",
        object_type="neighbourhood",
        object_id=nb.slug[:64],
        owner=owner.code,
        how=nb.footprints.first().how,
    )
    return form, [], nb


def neighbourhood(code: str, slug: str):
    nb = queries.get(code, slug)
    if nb is None:
        raise PageError(404, f"There is no neighbourhood '{slug}' for {code.upper()}.")
    return nb


def decile_rows(summary: dict) -> list[tuple[int, int]]:
    return [(d, summary["lsoas_by_imd_decile"][str(d)]) for d in DECILES]


def deciles_csv(summary: dict) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["imd_decile", "lsoas"])
    w.writerows(decile_rows(summary))
    return buf.getvalue()


def detail_page(nb, via: str, on: date, partner_form=None, problems=()) -> dict:
    s = residence.summary(nb, on)
    src = s["deprivation_source"]
    data = (
        (DataRef(src["file"], date.fromisoformat(src["as_of"]), "IMD 2025 decile per LSOA"),)
        if src
        else ()
    )
    count = Figure(
        "LSOAs in the most deprived 20% of England (deciles 1 and 2)",
        s["lsoas_by_imd_decile"]["1"] + s["lsoas_by_imd_decile"]["2"],
        "LSOAs",
        method=(
            "Each of the neighbourhood's 2021 LSOAs counted once under its IMD 2025 decile, "
            "as the English Indices of Deprivation 2025 File 1 gives it (1 = most deprived 10%)."
        ),
        data=data,
    )
    rows = decile_rows(s)
    return {
        "page_title": nb.name,
        "nb": nb,
        "via": via,
        "s": s,
        "on": on,
        "deprived": count,
        "decile_rows": rows,
        "spec": charts.decile_bars(rows),
        "partner_form": partner_form or PartnerForm(),
        "problems": list(problems),
        "partner_choices": queries.partner_choices(),
        "roles": queries.ROLE_SUGGESTIONS,
        "teams": list(nb.teams.all()),
        "residence": residence_pages.section(s["residence"]),
    }


def add_partner(request, nb):
    """(form, problems, done message or '')."""
    form = PartnerForm(request.POST)
    if not form.is_valid():
        return form, [], ""
    d = form.cleaned_data
    new = None
    if not d["organisation"]:
        new = {"kind": d["new_kind"], "name": d["new_name"], "code": d["new_code"]}
    try:
        rel = store.add_partner(
            nb,
            d["role"],
            d["start"],
            d["end"],
            by=request.user.get_username(),
            code=d["organisation"],
            new=new,
        )
    except store.NeighbourhoodError as e:
        return form, e.problems, ""
    audit.record(
        request,
        "neighbourhood partner added",
        object_type="neighbourhood",
        object_id=nb.slug[:64],
        partner=rel.organisation.code,
        role=rel.role,
    )
    return form, [], f"{rel.organisation.name} added as '{rel.role}' from {rel.start}."
