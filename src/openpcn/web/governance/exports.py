"""Each governance list as CSV: one row a record, the columns the page's table shows."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpcn.data.governance import reads


def _agreements(pcn, on):
    yield ["start", "end", "signed", "parties", "notes"]
    for a in reads.agreements(pcn):
        parties = "; ".join(f"{name} ({code})" for code, name in a["parties"])
        yield [a["start"], a["end"] or "", a["signed"] or "", parties, a["notes"]]


def _decisions(pcn, on):
    yield ["date", "what", "made_by", "practices"]
    for d in reads.decisions(pcn):
        yield [d["date"], d["what"], d["made_by"], "; ".join(c for c, _ in d["practices"])]


def _meetings(pcn, on):
    yield ["date", "title", "attendees", "minutes", "actions"]
    for m in reads.meetings(pcn):
        yield [m["date"], m["title"], m["attendees"], m["minutes"], m["actions"]]


def _actions(pcn, on):
    yield ["action", "owner", "organisation", "due", "status", "meeting"]
    for a in reads.actions(pcn):
        yield [a["text"], a["owner"], a["organisation"][0], a["due"], a["status"], a["meeting"]]


def _cd_time(pcn, on):
    yield ["director", "start", "end", "hours_per_week"]
    for s in reads.cd_spells(pcn):
        yield [s["director"], s["start"], s["end"] or "", s["hours_per_week"]]
    cd = reads.cd_figures(pcn, on)
    if cd.figures:
        f = cd.figures
        yield []
        yield ["figure", "value", "unit", "how", "as_at"]
        for fig in (f.funded_wte, f.funded_hours, f.recorded_hours, f.difference):
            if fig is not None:
                yield [fig.label, fig.value, fig.unit, fig.method, on]


def _maturity(pcn, on):
    mat = reads.maturity(pcn)
    yield ["domain", *[d.isoformat() for d in mat.dates], "since_previous", "since_first"]
    for r in mat.rows:
        change = ["" if v is None else v for v in (r.since_previous, r.since_first)]
        yield [r.domain.label, *["" if s is None else s for s in r.scores], *change]


LISTS = {
    "agreements": _agreements,
    "decisions": _decisions,
    "meetings": _meetings,
    "actions": _actions,
    "cd-time": _cd_time,
    "maturity": _maturity,
}


def csv_text(what: str, pcn, on: date) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerows(LISTS[what](pcn, on))
    return buf.getvalue()
