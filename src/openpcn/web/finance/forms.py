"""Forms for the staff register and claims: validated by the pure engines, errors a person can
act on (the field is named; nothing is saved when any field is wrong)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms

from openpcn.data.finance.models import Region
from openpcn.finance.money import to_money
from openpcn.rules import RuleNotFound, load_all
from openpcn.rules.pay_schema import AFC_BANDS
from openpcn.workforce import register
from openpcn.workforce.role_map import load_role_map

ISO = ["%Y-%m-%d"]  # never guess between day/month and month/day


def role_choices() -> list[tuple[str, str]]:
    rm = load_role_map()
    return [(r, rm.name(r)) for r in rm.arrs_role_ids]


def fy_of(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"


def reimbursable_years(role: str, start: date, end: date | None) -> tuple[list[str], list[str]]:
    """(years the post covers that have rule files, of those the years the role is in)."""
    all_years = load_all()
    last = end or max(rs.year.end for rs in all_years.values())
    covered = [
        y for y, rs in sorted(all_years.items()) if rs.year.end >= start and rs.year.start <= last
    ]
    ok = []
    for y in covered:
        try:
            all_years[y].role(role)
            ok.append(y)
        except RuleNotFound:
            pass
    return covered, ok


def money_field(label: str, required: bool = True) -> forms.CharField:
    # text, so that "2,345.67" is accepted and "abc" gets our own message
    return forms.CharField(label=label, required=required, max_length=20)


def clean_money(form: forms.Form, name: str, label: str) -> Decimal | None:
    value = form.cleaned_data.get(name)
    if value in (None, ""):
        return None
    try:
        amount = to_money(value, label)
    except ValueError:
        form.add_error(name, f"Enter {label} as an amount of money, like 2,345.67")
        return None
    if amount < 0:
        form.add_error(name, f"{label.capitalize()} cannot be negative")
        return None
    return amount


class StaffForm(forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Enter the name"})
    role = forms.ChoiceField(error_messages={"required": "Choose the ARRS role"})
    afc_band = forms.CharField(required=False, max_length=6, label="Agenda for Change band")
    wte = forms.CharField(max_length=10, label="WTE", error_messages={"required": "Enter the WTE"})
    start_date = forms.DateField(
        input_formats=ISO,
        error_messages={
            "required": "Enter the start date",
            "invalid": "Enter the start date as YYYY-MM-DD",
        },
    )
    end_date = forms.DateField(
        input_formats=ISO,
        required=False,
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD"},
    )
    employment_model = forms.ChoiceField(
        choices=[(e.value, e.value.replace("_", " ")) for e in register.EmploymentModel]
    )
    employer_ods = forms.CharField(max_length=8, label="Employing organisation ODS code")
    base_practice = forms.ChoiceField(label="Base practice")
    supervisor = forms.CharField(required=False, max_length=120)
    training_status = forms.ChoiceField(
        choices=[(t.value, t.value.replace("_", " ")) for t in register.TrainingStatus]
    )
    region = forms.ChoiceField(choices=Region.choices)
    monthly_gross = money_field("usual monthly gross pay", required=False)
    monthly_employer_ni = money_field("usual monthly employer NI", required=False)
    monthly_employer_pension = money_field("usual monthly employer pension", required=False)

    def __init__(self, *args, practices: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.practices = list(practices)
        self.fields["role"].choices = [("", "Choose a role")] + role_choices()
        self.fields["base_practice"].choices = self.practices
        for code, name in self.practices:
            self.fields[f"sessions_{code}"] = forms.CharField(
                required=False, max_length=5, label=f"Sessions a week at {name}"
            )

    def clean(self):
        data = super().clean()
        for name, label in (
            ("monthly_gross", "usual monthly gross pay"),
            ("monthly_employer_ni", "usual monthly employer NI"),
            ("monthly_employer_pension", "usual monthly employer pension"),
        ):
            if name in data:
                data[name] = clean_money(self, name, label)
        if self.errors:
            return data
        sessions = {
            code: (data.get(f"sessions_{code}") or "").strip()
            for code, _ in self.practices
            if (data.get(f"sessions_{code}") or "").strip()
        }
        try:
            member = register.StaffMember(
                staff_id="new",
                role=data["role"],
                wte=data["wte"],
                start_date=data["start_date"],
                end_date=data.get("end_date"),
                employment_model=data["employment_model"],
                employer_ods=data["employer_ods"],
                base_practice=data["base_practice"],
                afc_band=data.get("afc_band") or None,
                sessions=sessions,
                supervisor=data.get("supervisor") or None,
                training_status=data["training_status"],
                name=data["name"],
            )
        except register.StaffRegisterError as exc:
            field = exc.field.split("[")[0]
            if field.startswith("sessions"):
                code = exc.field[9:-1] if "[" in exc.field else ""
                field = f"sessions_{code}" if f"sessions_{code}" in self.fields else None
            elif field not in self.fields:
                field = None
            self.add_error(field, exc.message[0].upper() + exc.message[1:])
            return data
        covered, ok = reimbursable_years(member.role, member.start_date, member.end_date)
        if covered and not ok:
            self.add_error(
                "role",
                f"{load_role_map().name(member.role)} is not reimbursable under ARRS in "
                f"{', '.join(covered)}, the years this post covers",
            )
        data["member"] = member
        return data


class VacancyForm(forms.Form):
    role = forms.ChoiceField(error_messages={"required": "Choose the ARRS role"})
    wte = forms.CharField(max_length=10, label="WTE")
    planned_start = forms.DateField(
        input_formats=ISO, error_messages={"invalid": "Enter the planned start as YYYY-MM-DD"}
    )
    afc_band = forms.ChoiceField(required=False, label="AfC band")
    pay_point = forms.CharField(required=False, max_length=10, label="Pay point")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Choose a role")] + role_choices()
        self.fields["afc_band"].choices = [("", "Not known: cost at the role maximum")] + [
            (b, f"Band {b}") for b in AFC_BANDS
        ]

    def clean_pay_point(self):
        text = (self.cleaned_data.get("pay_point") or "").strip()
        if not text:
            return None
        if not text.isdigit() or int(text) < 1:
            raise forms.ValidationError(
                "Enter the pay point as a whole number, 1 for the entry point"
            )
        return int(text)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if (
            data.get("pay_point") is not None
            and not data.get("afc_band")
            and data.get("role") != "gp"
        ):
            self.add_error("afc_band", "Choose the band the pay point belongs to")
            return data
        try:
            data["vacancy"] = register.Vacancy(
                "new", data["role"], data["wte"], data["planned_start"],
                afc_band=data.get("afc_band") or None,
            )  # fmt: skip
        except register.StaffRegisterError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


def clean_money_text(text: str, label: str) -> tuple[Decimal | None, str]:
    """(amount, "") or (None, a message naming the field)."""
    try:
        amount = to_money(text, label)
    except ValueError:
        return None, f"Enter {label} as an amount of money, like 2,345.67 (not {text[:20]!r})"
    if amount < 0:
        return None, f"{label.capitalize()} cannot be negative"
    return amount, ""


class NonArrsForm(forms.Form):
    job_title = forms.CharField(
        max_length=120, error_messages={"required": "Enter the job title, such as 'PCN manager'"}
    )
    wte = forms.CharField(max_length=10, label="WTE")
    start_date = forms.DateField(
        input_formats=ISO,
        error_messages={
            "invalid": "Enter the start date as YYYY-MM-DD",
            "required": "Enter the start date",
        },
    )
    end_date = forms.DateField(
        input_formats=ISO,
        required=False,
        error_messages={"invalid": "Enter the end date as YYYY-MM-DD"},
    )
    funding = forms.CharField(max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["member"] = register.NonArrsStaff(
                "new",
                data["job_title"],
                data["wte"],
                data["start_date"],
                data.get("funding") or "",
                data.get("end_date"),
            )
        except register.StaffRegisterError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data


class LeaveForm(forms.Form):
    """Leave for one member of the register, checked by workforce.leave."""

    staff = forms.ChoiceField(label="Member of staff", error_messages={"required": "Choose who"})
    kind = forms.ChoiceField(label="Kind of leave")
    start = forms.DateField(
        input_formats=ISO,
        error_messages={
            "required": "Enter the first day",
            "invalid": "Enter the first day as YYYY-MM-DD",
        },
    )
    end = forms.DateField(
        input_formats=ISO,
        error_messages={
            "required": "Enter the last day",
            "invalid": "Enter the last day as YYYY-MM-DD",
        },
    )

    def __init__(self, *args, staff=(), **kwargs):
        from openpcn.workforce.leave import KINDS

        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in staff}
        self.fields["staff"].choices = [("", "Choose who")] + [
            (str(m.pk), f"{m.name} ({m.staff_id})") for m in staff
        ]
        self.fields["kind"].choices = list(KINDS.items())

    def clean(self):
        from openpcn.workforce.leave import Leave, LeaveError, check_leave

        data = super().clean()
        if self.errors:
            return data
        member = self.members[data["staff"]]
        existing = [Leave(x.start, x.end, x.kind) for x in member.leave.all()]
        try:
            data["leave"] = check_leave(
                Leave(data["start"], data["end"], data["kind"]),
                member.start_date,
                member.end_date,
                existing,
            )
        except LeaveError as exc:
            field, _, message = str(exc).partition(": ")
            self.add_error(
                field if field in self.fields else None, message[:1].upper() + message[1:]
            )
        data["member"] = member
        return data
