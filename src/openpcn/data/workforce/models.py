"""The national PCN workforce (NWRS), aggregated to PCN x staff role per census."""

from __future__ import annotations

from django.db import models


class NationalFte(models.Model):
    """FTE of one PCN in one NWRS staff role (and detailed role) at a census date."""

    census_date = models.DateField(db_index=True)
    pcn_code = models.CharField(max_length=16, db_index=True)
    pcn_name = models.CharField(max_length=200, blank=True)
    icb_code = models.CharField(max_length=16, blank=True)
    icb_name = models.CharField(max_length=200, blank=True)
    data_source = models.CharField(max_length=60, blank=True)
    staff_group = models.CharField(max_length=120, blank=True)
    staff_role = models.CharField(max_length=160)
    detailed_staff_role = models.CharField(max_length=200, blank=True)
    fte = models.DecimalField(max_digits=12, decimal_places=4)
    records = models.IntegerField()
    source = models.ForeignKey("registry.IngestedFile", on_delete=models.PROTECT)

    class Meta:
        indexes = [models.Index(fields=["census_date", "pcn_code"])]

    def __str__(self) -> str:
        return f"{self.pcn_code} {self.staff_role} {self.fte} ({self.census_date})"
