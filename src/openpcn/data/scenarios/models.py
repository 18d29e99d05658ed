"""What-if scenarios as data (issue 16): a named scenario of a PCN as at a date, and its
versions, each the list of changes as JSON (validated by :mod:`openpcn.scenarios` before it is
saved). Versions are append-only: every save is a new version, the newest is the scenario.
A scenario is never a copy of the database; adopting one writes real records (see
:mod:`openpcn.data.scenarios.store`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    open = "open", "open"
    adopted = "adopted", "adopted"
    discarded = "discarded", "discarded"


class Scenario(models.Model):
    """A scenario's subject is one PCN (``pcn``) or one ICB (``icb``, its changes against every
    PCN of the ICB; see :mod:`openpcn.scenarios.icb`), never both."""

    pcn = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="scenarios",
        null=True, blank=True,
    )  # fmt: skip
    icb = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="icb_scenarios",
        null=True, blank=True,
    )  # fmt: skip
    name = models.CharField(max_length=120)
    as_at = models.DateField()  # the date the scenario is about; no change may start earlier
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.open)
    status_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pcn", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pcn", "name"], name="scenario_name_unique"),
            models.UniqueConstraint(fields=["icb", "name"], name="icb_scenario_name_unique"),
            models.CheckConstraint(
                condition=models.Q(pcn__isnull=False, icb__isnull=True)
                | models.Q(pcn__isnull=True, icb__isnull=False),
                name="scenario_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"scenario {self.pk} {self.name!r} ({self.pcn_id or self.icb_id})"

    @property
    def subject(self):
        """The organisation the scenario is about: its PCN or its ICB."""
        return self.pcn if self.pcn_id else self.icb


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Scenario versions are append-only: save a new version instead.")

    def delete(self):
        raise PermissionError("Scenario versions are append-only: they cannot be deleted.")


class ScenarioVersion(models.Model):
    """Version ``version`` of a scenario: its list of changes, as saved."""

    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    changes = models.JSONField(default=list)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(max_length=150, blank=True)  # kept if the user goes
    created_at = models.DateTimeField(default=timezone.now)
    comment = models.CharField(max_length=500, blank=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["scenario", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "version"], name="scenario_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scenario} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Scenario versions are append-only: save a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Scenario versions are append-only: they cannot be deleted.")


class RotaRun(models.Model):
    """A scenario's sample-week rota, solved in the background (baseline and scenario); its
    progress while solving and its result (the engine's JSON) when done. Re-run, not edited."""

    class State(models.TextChoices):
        queued = "queued", "Waiting to solve"
        solving = "solving", "Solving"
        done = "done", "Solved"
        failed = "failed", "Could not be solved"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="rota_runs")
    version = models.PositiveIntegerField()  # the scenario version solved
    time_limit = models.PositiveIntegerField()  # seconds for each of the two solves
    state = models.CharField(max_length=10, choices=State.choices, default=State.queued)
    progress = models.JSONField(default=list, blank=True)  # [{side, seconds, objective}]
    result = models.JSONField(default=dict, blank=True)  # {"rows": [...], "rota": {...}}
    message = models.TextField(blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"rota run {self.pk} of scenario {self.scenario_id} ({self.state})"
