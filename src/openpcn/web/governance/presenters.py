"""What each governance page shows, from :mod:`openpcn.data.governance.reads` (the view
computes nothing): lists, the form's choices (member practices as at the page's date), the
clinical director's explained figures and the maturity chart's spec and table."""

from __future__ import annotations

from datetime import date

from openpcn.core.actions import ACTION_STATUSES
from openpcn.data.governance import reads, store
from openpcn.governance.maturity import framework
from openpcn.web.governance.forms import ACTION_ROWS
from openpcn.web.platform.charts import scores_over_time


def _maturity(pcn) -> dict:
    mat = reads.maturity(pcn)
    points = [
        {"date": day.isoformat(), "domain": r.domain.label, "score": score}
        for r in mat.rows
        for day, score in zip(mat.dates, r.scores, strict=True)
        if score is not None
    ]
    return {
        "maturity": mat,
        "framework": framework(),
        "spec": scores_over_time(points) if mat.dates else None,
        "table_rows": [[p["date"], p["domain"], p["score"]] for p in points],
    }


def context(page: str, pcn, on: date, editable: bool) -> dict:
    out: dict = {"on": on}
    if page in ("overview", "agreement"):
        out["agreements"] = reads.agreements(pcn)
        out["in_force"] = reads.agreement_in_force(pcn, on)
    if page in ("agreement", "decisions") and editable:
        out["members"] = store.members(pcn, on)
    if page in ("overview", "decisions"):
        out["decisions"] = reads.decisions(pcn)
    if page in ("overview", "meetings"):
        out["meetings"] = reads.meetings(pcn)
        out["actions"] = reads.actions(pcn)
        out["open_actions"] = [a for a in out["actions"] if a["status"] in ("open", "in progress")]
    if page == "meetings":
        out["statuses"] = ACTION_STATUSES
        out["action_rows"] = range(1, ACTION_ROWS + 1)
        out["organisations"] = store.organisations(pcn, on) if editable else {}
    if page in ("overview", "cd-time"):
        out["cd"] = reads.cd_figures(pcn, on)
        out["spells"] = reads.cd_spells(pcn)
    if page in ("overview", "maturity"):
        out |= _maturity(pcn)
    return out
