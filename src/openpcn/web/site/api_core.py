"""Core API operations: who am I, and the audit log for administrators."""

from datetime import datetime

from ninja import Router, Schema

from openpcn.data.accounts.models import AuditEvent
from openpcn.web.platform.access import ADMIN_ONLY, SIGNED_IN
from openpcn.web.platform.api import api_access

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    role: str
    scope_code: str


class AuditOut(Schema):
    at: datetime
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    outcome: str
    purpose: str
    path: str


@router.get("/me", response=MeOut, summary="The signed-in user, their role and scope")
@api_access(SIGNED_IN)
def me(request):
    u = request.auth
    return {"username": u.username, "role": u.role, "scope_code": u.scope_code}


@router.get("/audit", response=list[AuditOut], summary="Audit log entries (administrators)")
@api_access(ADMIN_ONLY)
def audit_entries(
    request,
    username: str | None = None,
    action: str | None = None,
    object_id: str | None = None,
    limit: int = 100,
):
    qs = AuditEvent.objects.all()
    if username:
        qs = qs.filter(username__iexact=username)
    if action:
        qs = qs.filter(action=action)
    if object_id:
        qs = qs.filter(object_id__iexact=object_id)
    return list(qs[: max(1, min(limit, 1000))])
