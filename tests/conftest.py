"""Shared fixtures: a small organisation tree and one user per role."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

# Tests assert behaviour, never elapsed time: Hypothesis's default deadline (200 ms an
# example) fails a correct test on a busy machine. Timings belong in benchmarks/.
settings.register_profile("openpcn", deadline=None)
settings.load_profile("openpcn")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + Django ORM
REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("OPENPCN_DATA", str(REPO.parent / "shared" / "data" / "raw"))
DATA = Path(os.environ["OPENPCN_DATA"])

PASSWORD = "correct horse battery staple"  # noqa: S105 - test accounts only

# ICB QAA holds PCN U00001 (practices A00001, A00002); ICB QBB holds U00002 (B00001).
ORGS = [
    ("QAA", "icb", "Alpha ICB"),
    ("QBB", "icb", "Beta ICB"),
    ("U00001", "pcn", "Alpha North PCN"),
    ("U00002", "pcn", "Beta South PCN"),
    ("A00001", "practice", "Alpha Surgery"),
    ("A00002", "practice", "Alder Medical Centre"),
    ("B00001", "practice", "Beech Practice"),
]
RELATIONS = [
    ("A00001", "U00001", "pcn_member"),
    ("A00002", "U00001", "pcn_member"),
    ("B00001", "U00002", "pcn_member"),
    ("A00001", "QAA", "in_icb"),
    ("A00002", "QAA", "in_icb"),
    ("B00001", "QBB", "in_icb"),
    ("U00001", "QAA", "in_icb"),
    ("U00002", "QBB", "in_icb"),
]
ROLE_SCOPES = {
    "admin": "",
    "icb_commissioner": "QAA",
    "pcn_lead": "U00001",
    "practice_manager": "A00001",
    "clinician": "U00001",
}


def make_orgs():
    from openpcn.data.registry.models import Organisation, Relation

    orgs = {
        code: Organisation.objects.create(code=code, kind=kind, name=name)
        for code, kind, name in ORGS
    }
    for child, parent, kind in RELATIONS:
        Relation.objects.create(
            child=orgs[child], parent=orgs[parent], kind=kind, observed=date(2020, 1, 1)
        )
    return orgs


def make_users():
    from openpcn.data.accounts.users import create_user

    return {
        role: create_user(f"user-{role}", role, scope, PASSWORD)[0]
        for role, scope in ROLE_SCOPES.items()
    }


@contextmanager
def real_registry(django_db_blocker, paths):
    """Real NHS files imported through the pipeline for a module's tests, removed after."""
    from openpcn.data.registry.loaders import import_file
    from openpcn.data.registry.national import clear_views
    from tests.registry.test_import_real import wipe_imported_data

    with django_db_blocker.unblock():
        clear_views()
        try:
            for path in paths:
                import_file(path)
            yield
        finally:
            wipe_imported_data()
            clear_views()


@pytest.fixture
def orgs(db):
    return make_orgs()


@pytest.fixture
def users(orgs):
    return make_users()


@pytest.fixture
def data_dir():
    if not DATA.is_dir():
        pytest.skip(f"NHS data directory {DATA} is not present (set OPENPCN_DATA)")
    return DATA


from tests.browser import browser_type_launch_args, page  # noqa: E402,F401  (Playwright fixtures)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Figures are cached per data version; tests change data freely (and a rolled-back
    import gives the next test the same version id)."""
    from django.conf import settings

    if settings.configured:  # pure-engine runs use -p no:django
        from django.core.cache import cache

        from openpcn.data.finance import entitlements
        from openpcn.data.neighbourhoods.queries import clear_areas
        from openpcn.data.registry.national import clear_views
        from openpcn.web.platform.page_cache import clear_pages
        from openpcn.web.registry.pages import clear_england

        cache.clear()
        clear_views()
        clear_pages()
        clear_england()
        clear_areas()
        entitlements.clear()
    yield
