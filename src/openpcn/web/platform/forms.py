"""Forms with messages a person can act on."""

from __future__ import annotations

from django import forms

from openpcn.data.accounts.models import AuditEvent


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        error_messages={"required": "Enter a name for the token, such as 'Monthly report'"},
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=365,
        initial=90,
        error_messages={
            "required": "Enter how many days the token should last",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "A token must last at least 1 day",
            "max_value": "A token can last at most 365 days",
        },
    )


class AuditFilterForm(forms.Form):
    username = forms.CharField(required=False, max_length=150)
    action = forms.ChoiceField(required=False)
    object_id = forms.CharField(required=False, max_length=64)
    outcome = forms.ChoiceField(
        required=False, choices=[("", "Any"), ("allowed", "Allowed"), ("refused", "Refused")]
    )
    date_from = forms.DateField(
        required=False, error_messages={"invalid": "Enter the 'from' date as YYYY-MM-DD"}
    )
    date_to = forms.DateField(
        required=False, error_messages={"invalid": "Enter the 'to' date as YYYY-MM-DD"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True)
        self.fields["action"].choices = [("", "Any")] + [(a, a) for a in actions.distinct()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The 'to' date must be on or after the 'from' date")
        return data

    def filter(self, qs):
        d = self.cleaned_data
        if d.get("username"):
            qs = qs.filter(username__iexact=d["username"])
        if d.get("action"):
            qs = qs.filter(action=d["action"])
        if d.get("object_id"):
            qs = qs.filter(object_id__iexact=d["object_id"])
        if d.get("outcome"):
            qs = qs.filter(outcome=d["outcome"])
        if d.get("date_from"):
            qs = qs.filter(at__date__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(at__date__lte=d["date_to"])
        return qs
