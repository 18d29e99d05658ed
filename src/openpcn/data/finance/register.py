"""The staff register from the database (Django side)."""

from __future__ import annotations

from datetime import date

from openpcn.data.accounts import audit
from openpcn.data.finance.models import NonArrsStaff, StaffLeave, StaffMember, StaffSession, Vacancy
from openpcn.data.registry.models import Organisation
from openpcn.data.registry.queries import membership_as_at
from openpcn.workforce.role_map import load_role_map


def member_practices(pcn_code: str, on: date | None = None) -> list[tuple[str, str]]:
    """(code, name) of the PCN's member practices as at ``on`` (today)."""
    codes = [c for c, p in membership_as_at(on or date.today()).items() if p == pcn_code]
    return list(
        Organisation.objects.filter(code__in=codes).order_by("name").values_list("code", "name")
    )


def role_name(role: str) -> str:
    return load_role_map().name(role)


def save_staff(pcn: Organisation, data: dict, staff: StaffMember | None = None) -> StaffMember:
    """Store a validated form's data (``data['member']`` is the pure register entry)."""
    member = data["member"]
    staff = staff or StaffMember(pcn=pcn)
    staff.name = data["name"].strip()
    staff.role = member.role
    staff.afc_band = member.afc_band or ""
    staff.wte = member.wte
    staff.start_date = member.start_date
    staff.end_date = member.end_date
    staff.employment_model = member.employment_model.value
    staff.employer_ods = member.employer_ods
    staff.base_practice = member.base_practice
    staff.supervisor = member.supervisor or ""
    staff.training_status = member.training_status.value
    staff.region = data["region"]
    staff.monthly_gross = data.get("monthly_gross")
    staff.monthly_employer_ni = data.get("monthly_employer_ni")
    staff.monthly_employer_pension = data.get("monthly_employer_pension")
    staff.save()
    staff.sessions.all().delete()
    StaffSession.objects.bulk_create(
        StaffSession(staff=staff, practice_code=code, sessions=n)
        for code, n in member.sessions.items()
    )
    return staff


def save_staff_audited(request, pcn: Organisation, data: dict, staff: StaffMember | None = None):
    """:func:`save_staff`, with the audit entry saying it was added or changed."""
    created = staff is None
    staff = save_staff(pcn, data, staff)
    audit.record(
        request,
        "staff added" if created else "staff changed",
        object_type="arrs_staff",
        object_id=str(staff.pk),
        purpose="ARRS staff register",
        pcn=pcn.code,
        role=staff.role,
    )
    return staff


def add_non_arrs(request, pcn: Organisation, m) -> NonArrsStaff:
    """Add a non-ARRS member of staff (``m`` the form's checked entry), audited."""
    row = NonArrsStaff.objects.create(
        pcn=pcn,
        job_title=m.job_title,
        wte=m.wte,
        start_date=m.start_date,
        end_date=m.end_date,
        funding=m.funding,
    )
    audit.record(
        request,
        "non-ARRS staff added",
        object_type="non_arrs_staff",
        object_id=str(row.pk),
        pcn=pcn.code,
    )
    return row


def add_leave(request, pcn: Organisation, member: StaffMember, lv) -> StaffLeave:
    """Record a member of staff's leave (``lv`` the form's checked entry), audited."""
    row = StaffLeave.objects.create(
        staff=member,
        start=lv.start,
        end=lv.end,
        kind=lv.kind,
        entered_by=request.user.get_username(),
    )
    audit.record(
        request,
        "staff leave recorded",
        object_type="staff_leave",
        object_id=str(row.pk),
        pcn=pcn.code,
        staff=member.staff_id,
        start=str(lv.start),
        end=str(lv.end),
    )
    return row


def add_vacancy(request, pcn: Organisation, v, pay_point=None) -> Vacancy:
    """Add a vacancy (``v`` the form's checked entry), audited."""
    vac = Vacancy.objects.create(
        pcn=pcn,
        role=v.role,
        wte=v.wte,
        planned_start=v.planned_start,
        afc_band=v.afc_band or "",
        pay_point=pay_point,
    )
    audit.record(
        request,
        "vacancy added",
        object_type="arrs_vacancy",
        object_id=str(vac.pk),
        purpose="ARRS workforce planning",
        pcn=pcn.code,
        role=v.role,
    )
    return vac


def initial(staff: StaffMember) -> dict:
    data = {
        f: getattr(staff, f)
        for f in (
            "name", "role", "afc_band", "wte", "start_date", "end_date", "employment_model",
            "employer_ods", "base_practice", "supervisor", "training_status", "region",
            "monthly_gross", "monthly_employer_ni", "monthly_employer_pension",
        )
    }  # fmt: skip
    for s in staff.sessions.all():
        data[f"sessions_{s.practice_code}"] = s.sessions
    return data


def as_row(staff: StaffMember, show_name: bool = True) -> dict:
    return {
        "staff_id": staff.staff_id,
        "name": staff.name if show_name else None,
        "role": staff.role,
        "role_name": role_name(staff.role),
        "afc_band": staff.afc_band,
        "wte": str(staff.wte),
        "start_date": staff.start_date.isoformat(),
        "end_date": staff.end_date.isoformat() if staff.end_date else None,
        "employment_model": staff.employment_model,
        "employer_ods": staff.employer_ods,
        "base_practice": staff.base_practice,
        "sessions": {s.practice_code: str(s.sessions) for s in staff.sessions.all()},
        "supervisor": staff.supervisor,
        "training_status": staff.training_status,
        "region": staff.region,
    }
