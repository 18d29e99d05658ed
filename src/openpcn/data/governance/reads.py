"""A PCN's governance records, read: the lists each page, CSV export and API call shows,
the clinical director's time against the funded time (an explained figure from the rules
file and the PCN's population as at the date), and the maturity self-assessment over time.
One shape (:func:`summary`) serves the API and ``openpcn governance show``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openpcn.core.figures import DataRef
from openpcn.core.fyear import FinancialYear
from openpcn.core.periods import Period
from openpcn.data.governance.models import CdTime
from openpcn.data.registry.models import Organisation
from openpcn.governance.agreement import in_force
from openpcn.governance.cd_time import RULE_KEY, cd_time
from openpcn.governance.cd_time import CdTime as CdFigures
from openpcn.governance.maturity import DomainRow, framework, over_time


def agreements(pcn: Organisation) -> list[dict]:
    out = []
    for a in pcn.agreements.prefetch_related("parties"):
        out.append({
            "id": a.pk, "start": a.start, "end": a.end, "signed": a.signed, "notes": a.notes,
            "parties": sorted((p.code, p.name) for p in a.parties.all()),
        })  # fmt: skip
    return out


def agreement_in_force(pcn: Organisation, on: date) -> dict | None:
    listed = agreements(pcn)
    key = in_force({a["id"]: Period(a["start"], a["end"]) for a in listed}, on)
    return next((a for a in listed if a["id"] == key), None)


def decisions(pcn: Organisation) -> list[dict]:
    return [
        {"id": d.pk, "date": d.date, "what": d.what, "made_by": d.made_by,
         "practices": sorted((p.code, p.name) for p in d.practices.all())}
        for d in pcn.decisions.prefetch_related("practices")
    ]  # fmt: skip


def meetings(pcn: Organisation) -> list[dict]:
    return [
        {"id": m.pk, "date": m.date, "title": m.title, "attendees": m.attendees,
         "minutes": m.minutes, "actions": m.actions.count()}
        for m in pcn.gov_meetings.all()
    ]  # fmt: skip


def actions(pcn: Organisation) -> list[dict]:
    return [
        {"id": a.pk, "text": a.text, "owner": a.owner, "organisation": (a.organisation.code,
         a.organisation.name), "due": a.due, "status": a.status,
         "meeting": f"{a.meeting.title} {a.meeting.date}" if a.meeting else ""}
        for a in pcn.gov_actions.select_related("organisation", "meeting")
    ]  # fmt: skip


def cd_spells(pcn: Organisation) -> list[dict]:
    return list(pcn.cd_time.values("id", "director", "start", "end", "hours_per_week"))


@dataclass(frozen=True)
class CdAnswer:
    on: date
    year: str
    figures: CdFigures | None
    missing: str = ""  # why there is no figure, in words


def cd_figures(pcn: Organisation, on: date) -> CdAnswer:
    """The funded time (the PCN's rules for the year ``on`` falls in, its adjusted population
    as at ``on``) beside the hours of the spell covering ``on``."""
    from openpcn.data.finance import entitlements as entitlements_db
    from openpcn.data.rules.overlays import OverlayError, rules_for_pcn
    from openpcn.rules.current import chosen_year
    from openpcn.rules.loader import RuleNotFound

    year = str(FinancialYear.containing(on))
    try:
        year = chosen_year(None, today=on)
        rule = rules_for_pcn(pcn.code, year, on).get(RULE_KEY, on)
    except (RuleNotFound, OverlayError, ValueError) as exc:
        return CdAnswer(on, year, None, str(exc))
    if rule is None:
        return CdAnswer(on, year, None, f"The {year} rules have no {RULE_KEY} row for {on}.")
    pops = entitlements_db.populations(year, on)
    if pops is None or pcn.code not in pops.pcns:
        return CdAnswer(
            on, year, None,
            f"No NHS England PCN population file with {pcn.code} is imported for {year}, so the"
            " funded time cannot be worked out; an administrator loads it.",
        )  # fmt: skip
    spell = CdTime.objects.filter(pcn=pcn, start__lte=on).exclude(end__lt=on).first()
    recorded_ref = DataRef(
        "the PCN's clinical director time record",
        spell.start if spell else None,
        f"{spell.director}, {spell.hours_per_week} hours a week from {spell.start}"
        if spell else "no spell covers this date",
    )  # fmt: skip
    figures = cd_time(
        rule=rule.as_rule_ref(), population=pops[pcn.code].adjusted,
        population_ref=pops.data_ref("adjusted"),
        recorded=spell.hours_per_week if spell else None, recorded_ref=recorded_ref,
    )  # fmt: skip
    return CdAnswer(on, year, figures)


@dataclass(frozen=True)
class Maturity:
    dates: list[date]
    rows: list[DomainRow]
    notes: dict[tuple[date, str], str]


def maturity(pcn: Organisation) -> Maturity:
    by_date: dict[date, dict[str, int]] = {}
    notes = {}
    for a in pcn.assessments.prefetch_related("scores"):
        by_date[a.date] = {s.domain: s.score for s in a.scores.all()}
        notes |= {(a.date, s.domain): s.note for s in a.scores.all() if s.note}
    return Maturity(sorted(by_date), over_time(by_date, framework()), notes)


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def summary(pcn: Organisation, on: date) -> dict:
    """Everything on the governance pages as JSON-ready data (dates as ISO text)."""
    cd = cd_figures(pcn, on)
    mat = maturity(pcn)
    fw = framework()

    def plain(rows):
        return [{k: _iso(v) if not isinstance(v, list) else v for k, v in r.items()} for r in rows]

    return {
        "pcn": {"code": pcn.code, "name": pcn.name},
        "as_at": on.isoformat(),
        "agreements": plain(agreements(pcn)),
        "decisions": plain(decisions(pcn)),
        "meetings": plain(meetings(pcn)),
        "actions": plain(actions(pcn)),
        "cd_time": {
            "year": cd.year,
            "spells": [
                {k: str(v) if v is not None else None for k, v in s.items()} for s in cd_spells(pcn)
            ],
            "figures": cd.figures.as_dict() if cd.figures else None,
            "missing": cd.missing,
        },  # fmt: skip
        "maturity": {
            "source": fw.source,
            "verified": fw.verified,
            "dates": [d.isoformat() for d in mat.dates],
            "domains": [
                {
                    "key": r.domain.key,
                    "label": r.domain.label,
                    "scores": list(r.scores),
                    "since_previous": r.since_previous,
                    "since_first": r.since_first,
                }
                for r in mat.rows
            ],
        },  # fmt: skip
    }
