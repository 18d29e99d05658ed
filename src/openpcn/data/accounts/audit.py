"""The one helper that writes the audit log. Never pass patient identifiers in ``detail``;
name patients by their pseudonymous dataset row id if at all."""

from __future__ import annotations

import logging

from openpcn.data.accounts.models import AuditEvent

log = logging.getLogger("openpcn.audit")


def _ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(
    request,
    action: str,
    *,
    user=None,
    object_type: str = "",
    object_id: str = "",
    outcome: str = "allowed",
    purpose: str = "",
    **detail,
) -> AuditEvent:
    """Append one entry: who (from the request or ``user``), did what, to which object, why."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    signed_in = bool(user is not None and getattr(user, "is_authenticated", False))
    event = AuditEvent.objects.create(
        user=user if signed_in else None,
        username=user.get_username() if signed_in else detail.pop("username", ""),
        role=getattr(user, "role", "") if signed_in else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        purpose=purpose,
        path=(request.path[:500] if request is not None else ""),
        method=(request.method if request is not None else ""),
        ip_address=_ip(request),
        detail=detail,
    )
    log.info("audit %s %s %s %s", event.username or "-", action, object_type, outcome)
    return event
