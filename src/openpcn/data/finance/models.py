"""The PCN staff register and the ARRS claims ledger (Django models).

The staff register (:class:`StaffMember`, :class:`StaffSession`, :class:`Vacancy`) belongs to
the workforce domain: its pure rules live in :mod:`openpcn.workforce.register`. The models live
in the finance app for now because the claims ledger is their only writer and reader with a
foreign key to them, and adding them to the workforce app would mean changing another
domain's migrations while that app is being built; they can move with a
``SeparateDatabaseAndState`` migration later.

A member of staff's name is not patient data but it is personal: only roles of that PCN or its
ICB see it (the pages are scoped with ``in_scope``); audit entries name staff by id only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openpcn.finance.claim_status import Status
from openpcn.workforce.register import EmploymentModel, TrainingStatus

MONEY = {"max_digits": 12, "decimal_places": 2}


class Region(models.TextChoices):
    national = "national", "National (outside London)"
    london_inner = "london_inner", "Inner London"
    london_outer = "london_outer", "Outer London"


class StaffMember(models.Model):
    """One ARRS-funded member of a PCN's staff (validated by workforce.register.StaffMember)."""

    pcn = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="arrs_staff"
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=60)  # ARRS role id of the workforce role map
    afc_band = models.CharField(max_length=4, blank=True)
    wte = models.DecimalField(max_digits=5, decimal_places=4)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    employment_model = models.CharField(
        max_length=20, choices=[(e.value, e.value.replace("_", " ")) for e in EmploymentModel]
    )
    employer_ods = models.CharField(max_length=8)
    base_practice = models.CharField(max_length=8)
    supervisor = models.CharField(max_length=120, blank=True)
    training_status = models.CharField(
        max_length=20,
        choices=[(t.value, t.value.replace("_", " ")) for t in TrainingStatus],
        default=TrainingStatus.not_applicable.value,
    )
    region = models.CharField(max_length=16, choices=Region.choices, default=Region.national)
    # usual monthly pay at the post's WTE (used to prefill claims and for the forecast)
    monthly_gross = models.DecimalField(null=True, blank=True, **MONEY)
    monthly_employer_ni = models.DecimalField(null=True, blank=True, **MONEY)
    monthly_employer_pension = models.DecimalField(null=True, blank=True, **MONEY)
    demo = models.BooleanField(default=False)  # made by finance.demo.seed_demo
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pcn", "start_date", "id"]

    def __str__(self) -> str:
        return f"staff {self.pk} ({self.role}, {self.pcn_id})"

    @property
    def staff_id(self) -> str:
        return f"S{self.pk:05d}"

    def sessions_map(self) -> dict[str, object]:
        return {s.practice_code: s.sessions for s in self.sessions.all()}


class StaffSession(models.Model):
    """Sessions a week a member of staff works at one member practice."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="sessions")
    practice_code = models.CharField(max_length=8)
    sessions = models.DecimalField(max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "practice_code"], name="staff_session_once")
        ]

    def __str__(self) -> str:
        return f"{self.practice_code}: {self.sessions}"


class StaffLeave(models.Model):
    """A dated absence of one member of staff (workforce.leave): rotas never book those days."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="leave")
    start = models.DateField()
    end = models.DateField()
    kind = models.CharField(max_length=10, default="annual")
    entered_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["staff", "start"]

    def __str__(self) -> str:
        return f"leave {self.pk} ({self.kind}, {self.start} to {self.end})"


class Vacancy(models.Model):
    """A post the PCN plans to fill: costed in the forecast from its AfC band and pay point when
    both are known (the year's pay file), else at the role maximum."""

    pcn = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="arrs_vacancies"
    )
    role = models.CharField(max_length=60)
    wte = models.DecimalField(max_digits=5, decimal_places=4)
    planned_start = models.DateField()
    afc_band = models.CharField(max_length=3, blank=True, default="")
    pay_point = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pcn", "planned_start", "id"]
        verbose_name_plural = "vacancies"

    def __str__(self) -> str:
        return f"vacancy {self.pk} ({self.role}, {self.pcn_id})"

    @property
    def vacancy_id(self) -> str:
        return f"V{self.pk:05d}"


class Claim(models.Model):
    """One staff member's ARRS claim for one month, as computed by finance.claims."""

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="claims")
    month = models.DateField()  # first day of the month
    gross_pay = models.DecimalField(**MONEY)
    employer_ni = models.DecimalField(**MONEY)
    employer_pension = models.DecimalField(**MONEY)
    claimed_amount = models.DecimalField(**MONEY)
    cap = models.DecimalField(**MONEY)
    capped = models.BooleanField(default=False)
    working = models.TextField(blank=True)  # the claim's method text, for the record
    status = models.CharField(
        max_length=10, choices=[(s.value, s.value) for s in Status], default=Status.draft.value
    )
    version = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "month"], name="claim_once_per_month")
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} {self.staff.staff_id} {self.month:%Y-%m} {self.status}"


class ClaimEvent(models.Model):
    """Append-only history of a claim: created, changed, each status move (who, when, why)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20)  # created, updated, submitted, approved, ...
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    version = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    username = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"claim {self.claim_id} {self.action} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("claim events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("claim events are append-only")


class NonArrsStaff(models.Model):
    """PCN staff not funded by ARRS (clinical director, manager, administrator...): on the
    register so the workforce picture is whole, never in ARRS claims or the ARRS forecast."""

    pcn = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="non_arrs_staff"
    )
    job_title = models.CharField(max_length=120)
    wte = models.DecimalField(max_digits=5, decimal_places=4)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    funding = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pcn", "start_date", "id"]
        verbose_name_plural = "non-ARRS staff"

    def __str__(self) -> str:
        return f"non-ARRS {self.pk} ({self.job_title}, {self.pcn_id})"
