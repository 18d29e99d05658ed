"""Fields many records share, as abstract models (no table of their own, so no migration):
who recorded a row and when, and the dated period a row holds for (``end`` blank while it
lasts). The models keep their own Meta (ordering, constraints)."""

from __future__ import annotations

from django.db import models


class Recorded(models.Model):
    created_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class DatedPeriod(Recorded):
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
