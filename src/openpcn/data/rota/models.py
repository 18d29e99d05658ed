"""Rota plans for a PCN (the engine in rota/pcn is pure; this is what the product keeps)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlanStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to solve"
    SOLVING = "solving", "Solving"
    SOLVED = "solved", "Solved"
    FAILED = "failed", "No rota could be built"
    PUBLISHED = "published", "Published"


class RotaPlan(models.Model):
    pcn = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    weeks = models.IntegerField()
    time_limit = models.IntegerField(default=30)
    enhanced_access = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    progress = models.JSONField(default=list, blank=True)  # [{seconds, objective, bound}]
    solving_since = models.DateTimeField(null=True, blank=True)  # when the solve started
    instance = models.JSONField(default=dict, blank=True)  # the JSON instance format
    solution = models.JSONField(default=dict, blank=True)  # the JSON solution format
    message = models.TextField(blank=True)
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.IntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pcn_id} rota from {self.start} ({self.status})"


class StaffAccount(models.Model):
    """Which register entry a signed-in member of staff is, so they see their own rota."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_account"
    )
    staff = models.ForeignKey("finance.StaffMember", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.user_id} is staff {self.staff_id}"
