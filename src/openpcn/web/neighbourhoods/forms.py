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
