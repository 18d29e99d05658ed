"""Enhanced Access sessions a PCN delivered, as recorded by its lead (audited)."""

from __future__ import annotations

from datetime import date, time

from openpcn.data.accounts import audit
from openpcn.data.services.models import EnhancedAccessSession
from openpcn.services.errors import ServicesError


def record_session(request, pcn, data) -> date:
    """Record a delivered session from form data (day, start, end, site), audited; returns its
    day. Refuses dates in the future, sessions that end before they start and unreadable input."""
    try:
        day = date.fromisoformat(data.get("day", ""))
        start = time.fromisoformat(data.get("start", ""))
        end = time.fromisoformat(data.get("end", ""))
    except ValueError:
        raise ServicesError("Enter the date as YYYY-MM-DD and the times as HH:MM.") from None
    if day > date.today():
        raise ServicesError("A delivered session cannot be in the future.")
    if end <= start:
        raise ServicesError("The session must end after it starts.")
    EnhancedAccessSession.objects.create(
        pcn=pcn,
        day=day,
        start=start,
        end=end,
        site=data.get("site", "")[:120],
        recorded_by=request.user.username,
    )
    audit.record(
        request,
        "enhanced access session recorded",
        object_type="organisation",
        object_id=pcn.code,
        day=day.isoformat(),
    )
    return day
