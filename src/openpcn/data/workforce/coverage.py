"""The staff register as the coverage engine reads it (Django side): each row's recorded
sessions by practice, and the practices' registered counts as at a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpcn.workforce.coverage import RegisterRow


def register_rows(pcn_code: str) -> list[RegisterRow]:
    from openpcn.data.finance.models import StaffMember

    rows = StaffMember.objects.filter(pcn__code=pcn_code).prefetch_related("sessions")
    return [
        RegisterRow(
            staff_id=r.staff_id,
            role=r.role,
            wte=r.wte,
            start_date=r.start_date,
            end_date=r.end_date,
            employment_model=r.employment_model,
            employer_ods=r.employer_ods,
            base_practice=r.base_practice,
            sessions={s.practice_code: Decimal(s.sessions) for s in r.sessions.all()},
        )
        for r in rows.order_by("start_date", "id")
    ]


def practice_counts(on: date) -> dict[str, int]:
    """Registered patients of every practice as at ``on`` (the coverage page's list sizes)."""
    from openpcn.data.registry.national import national_view

    return dict(national_view(on).totals)
