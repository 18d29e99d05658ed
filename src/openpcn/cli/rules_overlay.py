"""`openpcn rules overlay show ICB YEAR` and `openpcn rules overlay check FILE`: an ICB's
local variation of a year's national rules, and what it changes, in words."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from openpcn.cli.rules_common import _fail, _load, _stdout
from openpcn.core.fyear import FinancialYear
from openpcn.rules.loader import load_year
from openpcn.rules.overlays import (
    OverlayError,
    changes,
    load_overlay_file,
    overlay_for,
    overlay_path,
)

overlay_app = typer.Typer(
    help="ICB local variations (overlays) of a year's national rules.", no_args_is_help=True
)


class OverlayFormat(StrEnum):
    words = "words"
    yaml = "yaml"
    json = "json"


def _effective(icb: str, fy: FinancialYear):
    """(overlay or None, where it came from): the database's newest version, else the file."""
    try:
        from openpcn.cli.tools import django_setup

        django_setup()
        from django.db import DatabaseError

        from openpcn.data.rules.overlays import effective_overlay

        try:
            return effective_overlay(icb, fy), "the newest saved version, else the file"
        except DatabaseError:
            pass
    except ImportError:  # pragma: no cover - Django is a dependency
        pass
    return overlay_for(icb, fy), "the overlay file"


@overlay_app.command("show")
def overlay_show(
    icb: str = typer.Argument(..., help="ICB ODS code, e.g. QKS"),
    year: str = typer.Argument(..., help="Financial year, e.g. 2026-27"),
    format: OverlayFormat = typer.Option(OverlayFormat.words, "--format", help="words, yaml, json"),
):
    """The overlay in force for ICB in YEAR and what it changes against the national rules."""
    national = _load(year)
    code = icb.strip().upper()
    try:
        overlay, where = _effective(code, national.year)
    except OverlayError as exc:
        _fail(str(exc))
        raise  # unreachable
    if overlay is None:
        _fail(
            f"{code} has no overlay for {national.year}: its PCNs use the national rules"
            f" (no version saved, no file {overlay_path(code, national.year).name})"
        )
        raise  # unreachable
    if format is OverlayFormat.yaml:
        sys.stdout.write(overlay.text if overlay.text.endswith("\n") else overlay.text + "\n")
        return
    said = changes(national, overlay)
    if format is OverlayFormat.json:
        payload = {
            "icb": overlay.icb,
            "icb_name": overlay.icb_name,
            "year": str(overlay.year),
            "title": overlay.title,
            "approved_on": overlay.approved_on.isoformat() if overlay.approved_on else None,
            "source": overlay.source,
            "verified": overlay.verified,
            "version": overlay.version,
            "rows": [r.as_dict() for r in overlay.rows],
            "changes": [c.sentence for c in said],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    console = _stdout()
    flag = "" if overlay.verified else " (unverified)"
    console.print(f"{overlay.title}: {overlay.who}, {overlay.year}{flag}", markup=False)
    approved = f", approved {overlay.approved_on}" if overlay.approved_on else ""
    console.print(f"Source: {overlay.source}{approved}; {overlay.version} ({where})", markup=False)
    for c in said:
        console.print(f"- {c.sentence}", markup=False, soft_wrap=True)


@overlay_app.command("check")
def overlay_check(path: Path = typer.Argument(..., help="An overlay YAML file")):
    """Validate an overlay file against its year's national rules; nothing is saved."""
    try:
        overlay = load_overlay_file(path)
    except OverlayError as exc:
        _fail(str(exc))
        raise  # unreachable
    national = load_year(overlay.year)
    console = _stdout()
    console.print(
        f"{path.name}: a valid overlay of {overlay.year} for {overlay.who},"
        f" {len(overlay.rows)} rows",
        markup=False,
    )
    for c in changes(national, overlay):
        console.print(f"- {c.sentence}", markup=False, soft_wrap=True)
