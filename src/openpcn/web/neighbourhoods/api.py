"""Neighbourhoods API: the neighbourhoods a user may see, and one neighbourhood's LSOAs,
local authorities, LSOAs by IMD decile, PCNs and partners (the CLI's `show --format json`)."""

from __future__ import annotations

from datetime import date

from ninja import Router
from ninja.errors import HttpError

from openpcn.core.roles import Role
from openpcn.data.neighbourhoods import queries
from openpcn.web.neighbourhoods.views import LIST_RULE, SCOPED
from openpcn.web.platform.api import api_access

router = Router(tags=["neighbourhoods"])


def _day(as_at: str | None) -> date:
    if not as_at:
        return date.today()
    try:
        return date.fromisoformat(as_at)
    except ValueError:
        raise HttpError(400, f"as_at '{as_at}' is not a date (YYYY-MM-DD)") from None


@router.get("/", summary="Neighbourhoods you may see, with the code to reach each")
@api_access(LIST_RULE)
def neighbourhoods(request, as_at: str | None = None):
    user = request.auth
    seen = queries.visible(user.scope_code, user.role == Role.ADMIN, _day(as_at))
    return [
        {
            "name": s.neighbourhood.name,
            "slug": s.neighbourhood.slug,
            "owner": s.neighbourhood.owner.code,
            "via": s.via,
        }
        for s in seen
    ]


@router.get("/{code}/{slug}", summary="A neighbourhood's LSOAs, local authorities, IMD deciles")
@api_access(SCOPED)
def neighbourhood(request, code: str, slug: str, as_at: str | None = None):
    nb = queries.get(code, slug)
    if nb is None:
        raise HttpError(404, f"There is no neighbourhood '{slug}' for {code.upper()}.")
    return queries.summary(nb, _day(as_at))
