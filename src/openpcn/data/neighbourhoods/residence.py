"""Where people live against where they are registered, from the database (issue 18).

Hands :class:`openpcn.neighbourhoods.residence.Residence` the extract of patients per
practice per LSOA that answers for a date (the newest at or before it), PCN membership as at
that extract's date (:func:`openpcn.data.registry.queries.membership_at`), every
neighbourhood's footprint and PCNs as at the date, and each 2021 LSOA's local authority.
What leaves here for pages, the API and the CLI is aggregates with counts of 1-4 suppressed
(:mod:`openpcn.neighbourhoods.counts`): no patient is ever named.
"""

from __future__ import annotations

from datetime import date

from openpcn.data.neighbourhoods import queries
from openpcn.data.neighbourhoods.models import Neighbourhood
from openpcn.data.neighbourhoods.queries import (
    RESIDENCE_HOW,
    _active,
    _version,
    areas,
    footprint_at,
)
from openpcn.data.registry import lsoa_registrations
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import membership_at
from openpcn.neighbourhoods.counts import FEWER, SMALL, shown, suppressed
from openpcn.neighbourhoods.residence import Extract, Geography, Residence, Share

SMALL_NUMBERS = f"counts of 1 to {SMALL - 1} are shown as '{FEWER}' (and their shares left out)"
_EXTRACTS: dict[tuple[int, date, int], Extract] = {}


def label_of(nb: Neighbourhood, clashes: set[str] = frozenset()) -> str:
    return f"{nb.name} ({nb.owner.code})" if nb.name in clashes else nb.name


def _labels(neighbourhoods) -> dict[int, str]:
    seen: dict[str, int] = {}
    for nb in neighbourhoods:
        seen[nb.name] = seen.get(nb.name, 0) + 1
    clashes = {n for n, k in seen.items() if k > 1}
    return {nb.id: label_of(nb, clashes) for nb in neighbourhoods}


def _extract(extract_date: date, vintage: int) -> Extract:
    """One extract's persons counts, read once per data version (footprints and PCN
    relations are read on every call: they change without a file being imported)."""
    key = (_version(), extract_date, vintage)
    if key not in _EXTRACTS:
        _EXTRACTS.clear()
        loaded = lsoa_registrations.persons(extract_date, vintage)
        _EXTRACTS[key] = Extract(loaded.extract_date, loaded.vintage, loaded.files, loaded.counts)
    return _EXTRACTS[key]


def residence_at(on: date) -> Residence | None:
    """The figures for ``on``, or None when no LSOA registration extract is loaded."""
    chosen = lsoa_registrations.choose(on)
    if chosen is None:
        return None
    extract = _extract(*chosen)
    nbs = list(Neighbourhood.objects.select_related("owner"))
    labels = _labels(nbs)
    footprints, serves = {}, {}
    for nb in nbs:
        fp = footprint_at(nb, on)
        footprints[labels[nb.id]] = frozenset(fp.lsoas.values_list("code", flat=True) if fp else ())
        serves[labels[nb.id]] = frozenset(
            _active(nb.pcns.all(), on).values_list("pcn__code", flat=True)
        )
    lad_of = {a.code: (a.lad_code, a.lad_name) for a in areas().values()}
    geo = Geography(on, footprints, serves, lad_of, "neighbourhood footprints (OpenPCN)")
    membership = membership_at(extract.extract_date)
    codes = {p for p, _ in extract.counts} | set(membership) | set(membership.values())
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    return Residence(extract, membership, geo, names)


def not_loaded() -> dict:
    return {"loaded": False, "how_to_get_it": RESIDENCE_HOW}


def about(res: Residence) -> dict:
    e, m = res.extract, res.membership
    return {
        "loaded": True,
        "file": ", ".join(e.files),
        "extract_date": e.extract_date.isoformat(),
        "lsoa_vintage": e.vintage,
        "matched": res.matched,
        "membership": m.describe(),
        "membership_known": bool(m.files),
        "small_numbers": SMALL_NUMBERS,
    }


def share_row(s: Share, **extra) -> dict:
    value = suppressed(s.count)
    return {
        "code": s.key,
        "name": s.name,
        "count": value,
        "shown": shown(s.count),
        "share_pct": None if value is None else s.pct,
        **extra,
    }


def figure_json(f) -> dict:
    """A share or count figure for JSON: a count of 1-4 is suppressed here too."""
    out = f.as_dict()
    if isinstance(f.value, int) and f.unit == "patients" and suppressed(f.value) is None:
        out["value"], out["suppressed"] = FEWER, True
    return out


def overlap_rows(res: Residence, labels: list[str], pcns: list[str] | None = None) -> dict:
    ov = res.overlap(labels, pcns)
    return {
        "columns": list(ov.columns),
        "rows": [
            {
                "pcn": row,
                "name": res.names.get(row, row),
                "cells": [
                    {
                        "column": c,
                        "count": suppressed(ov.cell(row, c)),
                        "shown": shown(ov.cell(row, c)),
                    }
                    for c in ov.columns
                ],
            }
            for row in ov.rows
        ],
    }


def for_neighbourhood(nb: Neighbourhood, on: date) -> dict:
    """The ``residence`` entry of a neighbourhood's summary (JSON-ready)."""
    res = residence_at(on)
    if res is None:
        return not_loaded()
    label = _labels(list(Neighbourhood.objects.select_related("owner")))[nb.id]
    r = res.neighbourhood(label)
    serving = sorted(res.geo.serves.get(label, ()))
    return {
        **about(res),
        "neighbourhood": label,
        "residents": figure_json(r.residents),
        "misfit": figure_json(r.misfit),
        "by_practice": [share_row(s, pcn=res.pcn_of(s.key)) for s in r.by_practice],
        "by_pcn": [share_row(s, serves=s.key in serving) for s in r.by_pcn],
        "serving_pcns": [
            {
                "code": p,
                "name": res.names.get(p, p),
                "misfit": figure_json(res.pcn(p).misfit),
            }
            for p in serving
        ],
        "overlap": overlap_rows(res, [label]),
    }


def for_pcn(code: str, on: date) -> dict | None:
    """Where a PCN's patients live (JSON-ready), or None when nothing is loaded."""
    res = residence_at(on)
    if res is None:
        return None
    p = res.pcn(code)
    labels = [s.key for s in p.by_neighbourhood if s.key in res.geo.footprints]
    return {
        **about(res),
        "pcn": code,
        "practices": [{"code": c, "name": res.names.get(c, c)} for c in p.practices],
        "total": figure_json(p.total),
        "no_lsoa": figure_json(p.no_lsoa),
        "misfit": figure_json(p.misfit),
        "serves": res.serving(code),
        "by_neighbourhood": [share_row(s) for s in p.by_neighbourhood],
        "by_local_authority": [share_row(s) for s in p.by_local_authority],
        "overlap": overlap_rows(res, labels, [code]),
    }


def summary(nb: Neighbourhood, on: date) -> dict:
    """:func:`openpcn.data.neighbourhoods.queries.summary` with its ``residence`` figures."""
    return {**queries.summary(nb, on), "residence": for_neighbourhood(nb, on)}
