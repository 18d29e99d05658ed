"""What every visitor needs, done once when a server process starts rather than on the first
visit after it (issue 13, decision 0021): import every view, compile every template, read
every rule file, and compute today's national figures (kept per data version, so an import
later makes the next visit recompute them, as before).

Called by ``openpcn.web.site.wsgi`` (gunicorn imports it once in the master with
``--preload``, and its workers fork with the result). Tests never call it: they see the same
pages, computed on first use.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import date

from django.db import DatabaseError, connections
from django.template import engines
from django.urls import get_resolver

from openpcn.rules.loader import RuleFileError

log = logging.getLogger(__name__)


def compile_templates() -> int:
    """Load every Jinja template (ours and the NHS.UK macros): the first page to use one
    does not pay for parsing and compiling it. The number compiled."""
    env = engines["jinja2"].env
    names = env.list_templates(extensions=["jinja"])
    for name in names:
        env.get_template(name)
    return len(names)


def rule_files() -> None:
    """Every year's rules, pay scales and IIF indicators, parsed and validated (each loader
    keeps what it read per file and modification time)."""
    from openpcn.rules import iif, loader, pay

    loader.load_all()
    for year in pay.available_years():
        pay.load_pay(year)
    for year in iif.available_years():
        iif.load_year(year)


def national_figures() -> None:
    """The national figures nearly every page reads, each kept per data version by its own
    module: every PCN's size and members today and at each extract (the explorer's trend),
    the care home suggestions of every PCN, the latest IIF year and workforce census,
    England's age-sex counts (beside every PCN's and practice's pyramid), every LSOA with its
    deprivation (the neighbourhoods' areas), and this year's PCN populations."""
    from openpcn.data.neighbourhoods.queries import areas
    from openpcn.data.registry.national import extract_dates, national_view
    from openpcn.data.services.care_homes import suggestion_table
    from openpcn.data.services.iif import iif_year
    from openpcn.data.workforce.benchmark import benchmark
    from openpcn.web.registry.pages import england_bands

    national_view(date.today())
    for day in extract_dates():
        national_view(day)
    suggestion_table()
    iif_year()
    benchmark()
    england_bands()
    areas()
    finance_figures()


def finance_figures() -> None:
    """Every imported population file's rows and its year's populations as its forecast
    reads them; this year's PCN populations (the entitlements' base) as at the year's start
    and as at today, the forecast's month; and the populations Enhanced Access reads today
    (the file as published)."""
    from openpcn.data.finance.entitlements import (
        file_rows,
        file_year_for,
        populations,
        years_loaded,
    )
    from openpcn.data.finance.forecast import clamp
    from openpcn.rules.current import chosen_year
    from openpcn.rules.loader import RuleNotFound, load_year

    for file_year in years_loaded():
        file_rows(file_year)
        with suppress(RuleNotFound):  # the populations its forecast reads (today, in the year)
            populations(file_year, clamp(date.today(), load_year(file_year)))
    if (use := file_year_for(date.today())) is not None:
        populations(use, date.today())
    try:
        year = chosen_year()
    except RuleNotFound:  # no rule file for this year yet: its pages say so
        return
    populations(year)
    populations(year, clamp(date.today(), load_year(year)))


def population_definitions() -> None:
    """Every population health definition and the code lists it reads (files, not patients:
    the cohorts themselves are worked out on a visit that needs them)."""
    from openpcn.population.definitions import load_all

    load_all()


def url_names(resolver=None) -> None:
    """Every resolver's table of URL names (each namespace builds its own on the first
    ``reverse`` into it): a page's first links do not pay for it."""
    from django.urls import URLResolver

    resolver = resolver or get_resolver()
    resolver.reverse_dict  # noqa: B018 - builds the name table
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            url_names(p)


def warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    url_names()
    compile_templates()
    try:
        rule_files()
    except RuleFileError as e:  # the pages that read the broken file show its message
        log.warning("start-up: rule files not all read (%s)", e)
    try:
        population_definitions()
    except (ValueError, OSError) as e:  # a broken definition or missing code list: pages say so
        log.warning("start-up: population definitions not all read (%s)", e)
    try:
        national_figures()
    except DatabaseError as e:  # no database yet (before `openpcn db migrate`): pages say so
        log.warning("start-up: national figures not computed (%s)", e)


def warm_before_fork() -> None:
    """``warm`` in gunicorn's master: then no database connection crosses the fork."""
    try:
        warm()
    finally:
        connections.close_all()
