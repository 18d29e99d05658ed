"""The audit log is append-only in the ORM, the admin and the database."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from openpcn.data.accounts import audit
from openpcn.data.accounts.apps import AUDIT_LOCK
from openpcn.data.accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_scoped_access_writes_an_audit_entry(client, users):
    client.force_login(users["pcn_lead"])
    client.get("/network/U00001/")
    client.get("/network/U00002/")
    allowed = AuditEvent.objects.get(action="view", object_id="U00001")
    refused = AuditEvent.objects.get(action="refused", object_id="U00002")
    assert allowed.username == "user-pcn_lead" and allowed.role == "pcn_lead"
    assert refused.outcome == "refused" and "outside your scope" in refused.detail["reason"]


def test_orm_refuses_update_and_delete(users):
    event = audit.record(None, "test", user=users["admin"], purpose="checking")
    event.action = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update_and_delete(users):
    event = audit.record(None, "test", user=users["admin"])
    AUDIT_LOCK["locked"] = True  # as in production (tests unlock it to empty the test db)
    try:
        with connection.cursor() as cursor:
            for sql in (
                "UPDATE web_auditevent SET action = 'x' WHERE id = %s",
                "DELETE FROM web_auditevent WHERE id = %s",
            ):
                with pytest.raises(DatabaseError), transaction.atomic():
                    cursor.execute(sql, [event.pk])
    finally:
        AUDIT_LOCK["locked"] = False
    assert AuditEvent.objects.get(pk=event.pk).action == "test"


def test_admin_has_no_add_change_or_delete(users):
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = users["admin"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_audit_page_filters(client, users):
    audit.record(None, "export", user=users["pcn_lead"], object_id="U00001", purpose="SMR list")
    audit.record(None, "view", user=users["admin"], object_id="QAA")
    client.force_login(users["admin"])
    page = client.get("/audit/?username=user-pcn_lead")
    assert b"SMR list" in page.content and b"QAA" not in page.content.split(b"audit-table")[1]
    bad = client.get("/audit/?date_from=2026-13-45")
    assert bad.status_code == 400 and b"Enter the &#39;from&#39; date as YYYY-MM-DD" in bad.content


def test_admin_audit_changelist_is_viewable(client, users):
    audit.record(None, "view", user=users["admin"], object_id="QAA")
    client.force_login(users["admin"])
    assert client.get("/admin/web/auditevent/").status_code == 200
    event = AuditEvent.objects.first()
    response = client.post(f"/admin/web/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
