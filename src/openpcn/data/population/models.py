"""Which patient-level dataset belongs to which PCN. The patients themselves live in the
dataset's Parquet files (DuckDB), never in the web app's database."""

from __future__ import annotations

from django.db import models


class PopulationDataset(models.Model):
    pcn = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=500)
    synthetic = models.BooleanField()
    label = models.CharField(max_length=200, blank=True)
    patients = models.IntegerField()
    index_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pcn_id} {self.path} ({'synthetic' if self.synthetic else 'real'})"


class SmrCapacity(models.Model):
    """How many structured medication reviews a PCN plans to deliver each month."""

    pcn = models.OneToOneField("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    reviews_per_month = models.PositiveIntegerField()
    updated_by = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.pcn_id}: {self.reviews_per_month} SMRs a month"
