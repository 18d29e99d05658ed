"""Accounts, API tokens and the append-only audit log."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from openpcn.core.roles import Role


class User(AbstractUser):
    """A person who signs in. ``role`` decides what they may do, ``scope_code`` where.

    ``scope_code`` is the ODS code of the ICB, PCN or practice the role is scoped to
    (empty for administrators, who see all of England).
    """

    role = models.CharField(max_length=32, choices=[(r.value, r.label) for r in Role])
    scope_code = models.CharField(
        max_length=16, blank=True, help_text="ODS code of the ICB, PCN or practice"
    )

    class Meta:
        ordering = ["username"]

    def clean(self):
        super().clean()
        if not self.role:
            raise ValidationError({"role": "Choose a role."})
        role = Role(self.role)
        if role.scope_kind and not self.scope_code:
            raise ValidationError(
                {"scope_code": f"A {role.label} needs the ODS code of their {role.scope_kind}."}
            )
        if role is Role.ADMIN and self.scope_code:
            raise ValidationError({"scope_code": "Administrators are not scoped; leave it empty."})

    @property
    def role_enum(self) -> Role | None:
        return Role(self.role) if self.role else None

    def save(self, *args, **kwargs):
        # Admins manage the Django admin; nobody else gets staff status.
        self.is_staff = self.role == Role.ADMIN
        self.is_superuser = self.role == Role.ADMIN
        if self.scope_code:
            self.scope_code = self.scope_code.strip().upper()
        super().save(*args, **kwargs)


TOKEN_PREFIX = "opcn"  # noqa: S105 - a public prefix, not a secret


class ApiToken(models.Model):
    """A bearer token for API users. Only a SHA-256 of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_id})"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str, expires_at) -> tuple[ApiToken, str]:
        """Create a token; return it and the full token text, shown to the user once."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_id=key_id,
            secret_hash=cls.hash_secret(secret),
            expires_at=expires_at,
        )
        return token, f"{TOKEN_PREFIX}_{key_id}_{secret}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> bool:
        """Revoke the token now; False if it was revoked already (nothing changes)."""
        if self.revoked_at is not None:
            return False
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
        return True


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only: entries cannot be changed.")

    def delete(self):
        raise PermissionError("The audit log is append-only: entries cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which object, when and why. Append-only.

    Written only through :func:`openpcn.data.accounts.audit.record`. The model refuses updates and
    deletes, and database triggers refuse them too (migration 0002).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    outcome = models.CharField(max_length=16, default="allowed")
    purpose = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)
    method = models.CharField(max_length=10, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or 'anonymous'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only: entries cannot be deleted.")
