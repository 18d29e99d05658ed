"""PCN finance engines (pure Python, no Django): entitlements, ARRS claims, year-end forecast
and headroom, income split between member practices.

Money is Decimal rounded to pennies (see :mod:`openpcn.finance.money`); every rate comes from
:mod:`openpcn.rules`; figures users see travel as :class:`openpcn.core.figures.Figure`.

- :mod:`~openpcn.finance.entitlements`: ``entitlements(pcn, year, populations, beds)``,
  ``all_entitlements(year, populations)`` -> ``StreamFigure`` per payment stream.
- :mod:`~openpcn.finance.populations`: PCN populations from NHS England's DES file.
- :mod:`~openpcn.finance.claims`: monthly ARRS claim per staff member, role caps.
- :mod:`~openpcn.finance.claim_status`: draft -> submitted -> approved/rejected.
- :mod:`~openpcn.finance.claims_export`: the monthly claim schedule as Excel.
- :mod:`~openpcn.finance.forecast`: committed spend, underspend alert, headroom.
- :mod:`~openpcn.finance.split`: income split to the penny.

Import from the module that holds the idea; the package re-exports nothing.
"""
