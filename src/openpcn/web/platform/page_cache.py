"""A rendered public page kept per process, keyed by its full path and the data version (any
import makes a new version), so that a visitor who is not signed in never waits twice."""

from __future__ import annotations

import functools

from django.http import HttpResponse

from openpcn.data.registry.national import data_version

_PAGES: dict[tuple[str, int], tuple[bytes, dict]] = {}
_KEPT_HEADERS = ("Content-Type", "Content-Disposition")
_MAX_PAGES = 2000


def public_cache(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated or request.method != "GET":
            return view(request, *args, **kwargs)
        key = (request.get_full_path(), data_version())
        cached = _PAGES.get(key)
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            if len(_PAGES) >= _MAX_PAGES:
                _PAGES.clear()
            headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
            _PAGES[key] = (response.content, headers)
        return response

    return wrapped


def clear_pages() -> None:
    _PAGES.clear()
