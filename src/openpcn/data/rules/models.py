"""Versions of an ICB's rule overlay for a year, as its commissioners saved them. Append-only:
every save is a new version; the newest is in force (else the overlay file, if any)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Overlay versions are append-only: save a new version instead.")

    def delete(self):
        raise PermissionError("Overlay versions are append-only: they cannot be deleted.")


class OverlayVersion(models.Model):
    """Version ``version`` of ICB ``icb_code``'s overlay for ``year``: the YAML as saved."""

    icb_code = models.CharField(max_length=8, db_index=True)
    year = models.CharField(max_length=7)  # 2026-27
    version = models.PositiveIntegerField()
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(max_length=150, blank=True)  # kept if the user goes
    created_at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(max_length=500, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["icb_code", "year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["icb_code", "year", "version"], name="overlay_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.icb_code} {self.year} overlay v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Overlay versions are append-only: save a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Overlay versions are append-only: they cannot be deleted.")
