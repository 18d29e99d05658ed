"""API tokens for the signed-in user."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openpcn.data.accounts import audit
from openpcn.data.accounts.models import ApiToken
from openpcn.web.platform.access import SIGNED_IN, access
from openpcn.web.platform.forms import TokenForm


@access(SIGNED_IN)
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            token, new_token = ApiToken.issue(
                request.user,
                form.cleaned_data["name"],
                timezone.now() + timedelta(days=form.cleaned_data["days"]),
            )
            audit.record(
                request, "api token created", object_type="api_token", object_id=token.key_id
            )
            form = TokenForm()
        else:
            status = 400
    return render(
        request,
        "web/tokens.jinja",
        {
            "page_title": "API tokens",
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.all(),
        },
        status=status,
    )


@access(SIGNED_IN)
@require_POST
def revoke_token(request, key_id):
    token = get_object_or_404(ApiToken, key_id=key_id, user=request.user)
    if token.revoke():
        audit.record(request, "api token revoked", object_type="api_token", object_id=key_id)
    messages.success(request, f"Token '{token.name}' has been revoked.")
    return redirect("web:tokens")
