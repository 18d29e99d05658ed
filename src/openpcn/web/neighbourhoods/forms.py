"""The neighbourhood forms, with messages a person can act on."""

from __future__ import annotations

from django import forms

from openpcn.data.neighbourhoods.queries import PARTNER_KINDS

DATE_ERRORS = {"invalid": "Enter the date as YYYY-MM-DD, like 2026-04-01"}


class CreateForm(forms.Form):
    name = forms.CharField(
        max_length=200, error_messages={"required": "Enter a name for the neighbourhood"}
    )
    start = forms.DateField(
        error_messages={"required": "Enter the first day, like 2026-04-01", **DATE_ERRORS}
    )
    lsoas = forms.CharField(required=False, widget=forms.Textarea)
    lsoa_file = forms.FileField(required=False)
    lads = forms.MultipleChoiceField(required=False)
    pcns = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, lad_choices=(), pcn_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lads"].choices = list(lad_choices)
        self.fields["pcns"].choices = list(pcn_choices)

    def clean(self):
        data = super().clean()
        if not (data.get("lsoas", "").strip() or data.get("lsoa_file") or data.get("lads")):
            raise forms.ValidationError(
                "Paste LSOA codes, upload a file of them, or choose local authorities"
            )
        return data


class PartnerForm(forms.Form):
    organisation = forms.CharField(required=False, max_length=16)
    new_kind = forms.ChoiceField(
        required=False,
        choices=[("", "")] + [(k.value, k.label) for k in PARTNER_KINDS],
    )
    new_name = forms.CharField(required=False, max_length=200)
    new_code = forms.CharField(required=False, max_length=16)
    role = forms.CharField(
        max_length=200,
        error_messages={"required": "Say what the partner does, like 'hosts the team'"},
    )
    start = forms.DateField(
        error_messages={"required": "Enter the first day, like 2026-04-01", **DATE_ERRORS}
    )
    end = forms.DateField(required=False, error_messages=DATE_ERRORS)

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("new_kind") and data.get("new_name")):
            raise forms.ValidationError(
                "Choose an organisation from the registry, or give the kind and name of one "
                "to enter by hand"
            )
        return data


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the team's name"})


class MemberForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the member's name"})
    role = forms.CharField(
        max_length=200,
        error_messages={"required": "Say what the member does, like 'district nurse'"},
    )
    employer = forms.CharField(
        max_length=16, error_messages={"required": "Choose the member's employer"}
    )
    username = forms.CharField(required=False, max_length=150)


class MeetingForm(forms.Form):
    date = forms.DateField(
        error_messages={"required": "Enter the meeting's date, like 2026-04-01", **DATE_ERRORS}
    )
    agenda = forms.CharField(
        widget=forms.Textarea, error_messages={"required": "Write the meeting's agenda"}
    )
    attendees = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "Tick at least one member who attended"},
    )
    source = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(m.id, m.name) for m in members]


class ActionForm(forms.Form):
    text = forms.CharField(max_length=500, error_messages={"required": "Say what the action is"})
    # ids checked by the engine's rules, which say what is wrong in words
    owner = forms.IntegerField(required=False)
    topic = forms.CharField(required=False, max_length=200)
    patient = forms.IntegerField(required=False)
    due = forms.DateField(
        error_messages={"required": "Enter the date the action is due", **DATE_ERRORS}
    )
    status = forms.CharField(required=False, max_length=20)
    organisation = forms.CharField(required=False, max_length=16)
    meeting = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, members=(), entries=(), meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", "")] + [(m.id, str(m.date)) for m in meetings]
