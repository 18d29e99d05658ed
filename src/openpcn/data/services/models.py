"""Network services data: IIF achievement measures as published."""

from __future__ import annotations

from django.db import models


class IifMeasure(models.Model):
    """One published IIF measure of one organisation (practice or PCN) at an achievement date."""

    achievement_date = models.DateField(db_index=True)
    service = models.CharField(max_length=20, blank=True)
    level = models.CharField(max_length=10)  # practice / pcn
    org_code = models.CharField(max_length=16, db_index=True)
    org_name = models.CharField(max_length=200, blank=True)
    ind_code = models.CharField(max_length=20)
    measure = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    line = models.IntegerField()
    source = models.ForeignKey("registry.IngestedFile", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["achievement_date", "org_code", "ind_code", "measure"],
                name="iif_measure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_code} {self.ind_code} {self.measure}={self.value}"


class CareHome(models.Model):
    """A CQC-registered care home (organisation data only; no personal names are kept)."""

    location_id = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    beds = models.IntegerField()
    postcode = models.CharField(max_length=10)
    local_authority = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=60, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    with_nursing = models.BooleanField(default=False)
    older_people = models.BooleanField(default=False)
    source = models.ForeignKey("registry.IngestedFile", on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.location_id})"


class CareHomeAlignment(models.Model):
    """A care home aligned to one PCN and a lead practice from a date (Enhanced Health in Care
    Homes). At most one open alignment per home: the database refuses a second."""

    home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="alignments")
    pcn = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    lead_practice = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    aligned_by = models.CharField(max_length=150)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["home"],
                condition=models.Q(end__isnull=True),
                name="one_open_alignment_per_home",
            )
        ]

    def __str__(self) -> str:
        return f"{self.home_id} -> {self.pcn_id} from {self.start}"


class CareHomeRound(models.Model):
    """A weekly home round recorded as done (Enhanced Health in Care Homes)."""

    home = models.ForeignKey(CareHome, on_delete=models.CASCADE, related_name="rounds")
    day = models.DateField()
    recorded_by = models.CharField(max_length=150)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"round at {self.home_id} on {self.day}"


class EnhancedAccessSession(models.Model):
    """An Enhanced Access session as delivered (recorded by the PCN, or imported)."""

    pcn = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    site = models.CharField(max_length=120, blank=True)
    recorded_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["day", "start"]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.day} {self.start}-{self.end}"
