"""The rules for a PCN: the national rules of the year plus its ICB's overlay (Django side).

::

    from openpcn.data.rules.overlays import rules_for_pcn, effective_overlay, save_overlay

    rules = rules_for_pcn("U00001", "2026-27")   # a RuleSet; varied rows name the ICB
    overlay = effective_overlay("QKS", "2026-27")  # newest saved version, else the file, else None

The overlay in force for (ICB, year) is the newest version saved through the product, else
the file ``rules/data/overlays/<year>/<ICB>.yaml``, else none. A PCN's ICB is the registry's as
at the date asked (else as at today, when the registry's files are all newer than that date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from openpcn.core.fyear import FinancialYear
from openpcn.data.accounts.audit import record
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import parents_of
from openpcn.data.rules.models import OverlayVersion
from openpcn.rules.loader import RuleSet, load_year
from openpcn.rules.overlays import Overlay, OverlayError, apply, overlay_for, parse_overlay


@dataclass(frozen=True)
class Saved:
    """One saved version, for the history table."""

    version: int
    author: str
    created_at: datetime
    comment: str


def _year(year: FinancialYear | str) -> FinancialYear:
    return FinancialYear.parse(year) if isinstance(year, str) else year


def icb_of_pcn(pcn_code: str, on: date | None = None) -> Organisation | None:
    """The ICB a PCN lies in as at ``on`` (else as at today), or None."""
    for day in dict.fromkeys((on or date.today(), date.today())):
        codes = parents_of(pcn_code.strip().upper(), day)
        icb = Organisation.objects.filter(code__in=codes, kind="icb").order_by("code").first()
        if icb is not None:
            return icb
    return None


def _newest(icb: str, fy: FinancialYear) -> OverlayVersion | None:
    return OverlayVersion.objects.filter(icb_code=icb, year=str(fy)).order_by("-version").first()


def _name(icb: str) -> str:
    org = Organisation.objects.filter(code=icb).first()
    return org.name if org else ""


_CACHE: dict[tuple, tuple[Overlay | None, RuleSet | None]] = {}


def effective_overlay(icb: str, year: FinancialYear | str) -> Overlay | None:
    """The overlay in force for (ICB, year): the newest saved version, else the file."""
    icb, fy = icb.strip().upper(), _year(year)
    newest = _newest(icb, fy)
    if newest is not None:
        key = ("v", icb, str(fy), newest.pk)
        if key not in _CACHE:
            _CACHE[key] = (
                parse_overlay(newest.text, f"{icb} {fy} version {newest.version}",
                              version=f"version {newest.version}",
                              expect_icb=icb, expect_year=fy),
                None,
            )  # fmt: skip
        return _CACHE[key][0]
    return overlay_for(icb, fy)


def rules_for_icb(icb: str | None, year: FinancialYear | str) -> RuleSet:
    """The year's national rules with ``icb``'s overlay applied (national when it has none)."""
    fy = _year(year)
    national = load_year(fy)
    if not icb:
        return national
    overlay = effective_overlay(icb, fy)
    if overlay is None:
        return national
    key = ("r", id(national), id(overlay))
    found = _CACHE.get(key)
    if found is None or found[0] is not overlay or found[1] is None:
        if len(_CACHE) > 256:
            _CACHE.clear()
        found = _CACHE[key] = (overlay, apply(national, overlay))
    return found[1]


def rules_for_pcn(pcn_code: str, year: FinancialYear | str, on: date | None = None) -> RuleSet:
    """The rules for PCN ``pcn_code`` in ``year``: national + its ICB's overlay."""
    fy = _year(year)
    icb = icb_of_pcn(pcn_code, on or fy.start)
    return rules_for_icb(icb.code if icb else None, fy)


def rules_for_pcn_on(pcn_code: str, on: date) -> RuleSet:
    """The rules for PCN ``pcn_code`` on date ``on``: the year containing ``on``."""
    return rules_for_pcn(pcn_code, FinancialYear.containing(on), on)


def icbs_with_overlays(year: FinancialYear | str) -> set[str]:
    """ICB codes with an overlay for ``year``: a saved version or a file."""
    from openpcn.rules.overlays import overlay_files

    fy = _year(year)
    saved = set(OverlayVersion.objects.filter(year=str(fy)).values_list("icb_code", flat=True))
    files = {p.stem.upper() for p in overlay_files() if p.parent.name == str(fy)}
    return saved | files


def rules_by_pcn(
    year: FinancialYear | str, pcn_codes: list[str], on: date | None = None
) -> dict[str, RuleSet]:
    """The rules for each of many PCNs at once (one registry read, not one per PCN)."""
    from openpcn.data.registry.queries import relation_rows, resolve

    fy = _year(year)
    national = load_year(fy)
    varied = icbs_with_overlays(fy)
    if not varied:
        return dict.fromkeys(pcn_codes, national)
    icb_of: dict[str, str] = {}
    rows = list(relation_rows("in_icb", children=pcn_codes))
    for day in dict.fromkeys((on or fy.start, date.today())):
        for pcn, parents in resolve(rows, day).items():
            icb_of.setdefault(pcn, sorted(parents)[0])
    return {
        code: rules_for_icb(icb_of[code], fy) if icb_of.get(code) in varied else national
        for code in pcn_codes
    }


def history(icb: str, year: FinancialYear | str) -> list[Saved]:
    rows = OverlayVersion.objects.filter(icb_code=icb.strip().upper(), year=str(_year(year)))
    return [
        Saved(v.version, v.author_name, v.created_at, v.comment) for v in rows.order_by("-version")
    ]


def version_text(icb: str, year: FinancialYear | str, version: int) -> str | None:
    row = OverlayVersion.objects.filter(
        icb_code=icb.strip().upper(), year=str(_year(year)), version=version
    ).first()
    return row.text if row else None


def save_overlay(
    icb: str, year: FinancialYear | str, text: str, *, user, comment: str = "", request=None
) -> tuple[OverlayVersion, Overlay]:
    """Validate ``text`` and save it as the next version, with an audit row; OverlayError (and
    nothing saved, nothing audited as saved) when it is not a valid overlay for (ICB, year)."""
    icb, fy = icb.strip().upper(), _year(year)
    with transaction.atomic():
        newest = _newest(icb, fy)
        number = (newest.version + 1) if newest else 1
        overlay = parse_overlay(
            text,
            f"{icb} {fy} overlay",
            version=f"version {number}",
            expect_icb=icb,
            expect_year=fy,
        )
        signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
        saved = OverlayVersion.objects.create(
            icb_code=icb,
            year=str(fy),
            version=number,
            text=text,
            author=user if signed_in else None,
            author_name=user.get_username() if signed_in else "",
            comment=comment.strip()[:500],
        )
        record(
            request,
            "rules_overlay_saved",
            user=user,
            object_type="rules_overlay",
            object_id=f"{icb} {fy} v{number}",
            icb=icb,
            year=str(fy),
            version=number,
            rows=len(overlay.rows),
            comment=saved.comment,
        )
    return saved, overlay


def icb_name(icb: str) -> str:
    return _name(icb.strip().upper())


def clear() -> None:
    _CACHE.clear()


__all__ = [
    "OverlayError",
    "Saved",
    "effective_overlay",
    "history",
    "icb_of_pcn",
    "icbs_with_overlays",
    "rules_by_pcn",
    "rules_for_icb",
    "rules_for_pcn",
    "rules_for_pcn_on",
    "save_overlay",
    "version_text",
]
