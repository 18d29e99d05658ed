"""Page-shaped views of the rules (engines and the data layer in, plain dicts out)."""

from __future__ import annotations

from openpcn.data.rules import overlays as overlays_db
from openpcn.rules.diff import diff
from openpcn.rules.diff_words import by_topic, sentences
from openpcn.rules.loader import load_all, load_year
from openpcn.rules.overlays import Overlay, OverlayError, changes, overlay_path


def years() -> list[str]:
    """Years that have a national rule file, oldest first."""
    return list(load_all())


def previous_year(year: str) -> str:
    held = years()
    i = held.index(year)
    return held[i - 1] if i > 0 else held[0]


def diff_page(year_from: str, year_to: str) -> dict:
    a, b = load_year(year_from), load_year(year_to)
    names = {r.id: r.name for r in (*a.roles, *b.roles)}
    said = sentences(diff(a, b), names)
    return {
        "year_from": year_from,
        "year_to": year_to,
        "groups": by_topic(said),
        "count": len(said),
    }


def starter_text(icb: str, name: str, year: str) -> str:
    return (
        f"# The rows {name or icb} varies in {year} under a Local Variation Agreement.\n"
        "# Each row uses the national row schema (see docs/reference/rules.md); add your own\n"
        "# source tags under 'sources' and cite them in the rows.\n"
        f"icb: {icb}\n"
        f"icb_name: {name}\n"
        f"year: {year}\n"
        "title: \n"
        "approved_on: \n"
        "source: \n"
        "verified: false\n"
        "sources: {}\n"
        "rows: []\n"
    )


def overlay_page(icb: str, year: str, version: int | None = None) -> dict:
    """The overlay in force for (ICB, year), in words, with its history and the text to edit."""
    name = overlays_db.icb_name(icb)
    national = load_year(year)
    history = overlays_db.history(icb, year)
    problem = ""
    try:
        overlay: Overlay | None = overlays_db.effective_overlay(icb, year)
    except OverlayError as exc:  # no longer validates (the national year changed): say so
        overlay, problem = None, str(exc)
    if history:
        newest = history[0]
        where = (
            f"version {newest.version}, saved by {newest.author or 'unknown'} on"
            f" {newest.created_at:%-d %B %Y at %H:%M}"
        )
    elif overlay is not None:
        where = f"the file {overlay_path(icb, year).name} (no version saved through OpenPCN yet)"
    else:
        where = ""
    if overlay is not None:
        text = overlay.text
    elif problem and history:  # the version in force no longer validates: show it to fix
        text = overlays_db.version_text(icb, year, history[0].version) or ""
    elif problem:  # the file no longer validates
        text = overlay_path(icb, year).read_text(encoding="utf-8")
    else:
        text = starter_text(icb, name, year)
    shown_version = None
    if version is not None:
        old = overlays_db.version_text(icb, year, version)
        if old is not None:
            text, shown_version = old, version
    return {
        "icb": icb,
        "name": name,
        "year": year,
        "years": years(),
        "overlay": overlay,
        "where": where,
        "problem": problem,
        "changes": changes(national, overlay) if overlay is not None else [],
        "history": history,
        "text": text,
        "shown_version": shown_version,
    }
