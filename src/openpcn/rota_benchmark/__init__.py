"""The schedulingbenchmarks.org (Curtois) staff-rostering benchmark, beside the rota engine.

Its instance format and roster writer (:mod:`format`), the independent scorer (:mod:`scorer`),
its CP-SAT model (:mod:`model`, :mod:`staff_rules`), column generation (:mod:`colgen`) and
the search built on it (:mod:`cg_search`), with rostering neighbourhoods for the rota
engine's LNS driver (:mod:`roster_lns`). Pure Python, imports no Django; it imports
:mod:`openpcn.rota` (the search), never the other way round.
"""
