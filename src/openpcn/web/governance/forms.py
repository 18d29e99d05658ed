"""The governance pages' forms: a POST read into the store's plain arguments, and saved. Bad
input comes back as the store's problems in words (:class:`GovernanceError`): nothing saved.
A date left blank or not written like 2026-04-01 is None, and the rules say which is missing.
"""

from __future__ import annotations

from datetime import date

from openpcn.data.governance import store
from openpcn.data.governance.models import Agreement, CdTime, GovernanceAction
from openpcn.governance.maturity import framework

ACTION_ROWS = 3  # blank action rows on the meeting form
ACTION_FIELDS = ("text", "owner", "organisation", "due")


def day(post, name: str) -> date | None:
    try:
        return date.fromisoformat((post.get(name) or "").strip())
    except ValueError:
        return None


def _actions(post) -> list[dict]:
    """The meeting form's action rows; a row left wholly blank is not an action."""
    rows = []
    for n in range(1, ACTION_ROWS + 1):
        raw = {f: (post.get(f"action-{n}-{f}") or "").strip() for f in ACTION_FIELDS}
        if not any(raw[f] for f in ("text", "owner", "due")):
            continue
        rows.append(raw | {"due": day(post, f"action-{n}-due"), "status": "open"})
    return rows


def save(form: str, pcn, request) -> str:
    """Save the form named ``form``; returns what was saved, in words."""
    post, who = request.POST, {"user": request.user, "request": request}
    if form == "agreement":
        a = store.save_agreement(
            pcn, start=day(post, "start"), end=day(post, "end"), signed=day(post, "signed"),
            parties=post.getlist("parties"), notes=post.get("notes", ""), **who,
        )  # fmt: skip
        return f"Agreement from {a.start} saved."
    if form in ("end-agreement", "end-cd-time"):
        model = Agreement if form == "end-agreement" else CdTime
        pk = (post.get("id") or "").strip()
        obj = model.objects.filter(pcn=pcn, pk=pk).first() if pk.isdigit() else None
        if obj is None:
            raise store.GovernanceError(["choose one of this PCN's records to end"])
        store.end_period(obj, day(post, "end"), **who)
        return f"Ended on {obj.end}."
    if form == "decision":
        d = store.record_decision(
            pcn, day=day(post, "date"), what=post.get("what", ""),
            made_by=post.get("made_by", ""), practices=post.getlist("practices"), **who,
        )  # fmt: skip
        return f"Decision of {d.date} saved."
    if form == "meeting":
        m = store.hold_meeting(
            pcn, day=day(post, "date"), title=post.get("title", ""),
            attendees=post.get("attendees", ""), minutes=post.get("minutes", ""),
            actions=_actions(post), **who,
        )  # fmt: skip
        return f"Meeting '{m.title}' of {m.date} saved with {m.actions.count()} actions."
    if form == "status":
        pk = (post.get("action") or "").strip()
        action = GovernanceAction.objects.filter(pcn=pcn, pk=pk).first() if pk.isdigit() else None
        if action is None:
            raise store.GovernanceError(["that action is not one of this PCN's"])
        store.set_status(action, post.get("status", ""), **who)
        return f"'{action.text}' is now {action.status}."
    if form == "cd-time":
        spell = store.record_cd_time(
            pcn, director=post.get("director", ""), start=day(post, "start"),
            end=day(post, "end"), hours=post.get("hours", ""), **who,
        )  # fmt: skip
        return f"{spell.director}: {spell.hours_per_week} hours a week from {spell.start} saved."
    if form == "assessment":
        keys = [d.key for d in framework().domains]
        a = store.record_assessment(
            pcn, day=day(post, "date"),
            scores={k: post.get(f"score-{k}", "") for k in keys},
            notes={k: post.get(f"note-{k}", "") for k in keys}, **who,
        )  # fmt: skip
        return f"Self-assessment of {a.date} saved."
    raise store.GovernanceError([f"unknown form {form!r}"])
