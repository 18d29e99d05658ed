"""Governance API: a PCN's agreement, decisions, meetings, actions, clinical director's time
(with its explained figures) and maturity self-assessments as at a date; the same JSON as
``openpcn governance show PCN --format json``. Scoped like the pages; read only."""

from __future__ import annotations

from datetime import date

from ninja import Router
from ninja.errors import HttpError

from openpcn.data.governance.reads import summary
from openpcn.data.registry.models import Organisation
from openpcn.web.governance.views import VIEW_ROLES
from openpcn.web.platform.access import in_scope
from openpcn.web.platform.api import api_access

router = Router(tags=["governance"])
PARTS = ("agreements", "decisions", "meetings", "actions", "cd_time", "maturity")


def _summary(code: str, on: str | None) -> dict:
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        raise HttpError(422, f"on: '{on}' is not a date; write it like 2026-04-01") from None
    return summary(Organisation.objects.get(code=code.upper()), day)


@router.get("/{code}", summary="A PCN's governance as at a date (?on=YYYY-MM-DD, default today)")
@api_access(in_scope("code", "pcn", roles=VIEW_ROLES))
def governance(request, code: str, on: str | None = None):
    return _summary(code, on)


@router.get("/{code}/{part}", summary="One part of a PCN's governance: " + ", ".join(PARTS))
@api_access(in_scope("code", "pcn", roles=VIEW_ROLES))
def part(request, code: str, part: str, on: str | None = None):
    if part not in PARTS:
        raise HttpError(404, f"part: '{part}' is not one of {', '.join(PARTS)}")
    return _summary(code, on)[part]
