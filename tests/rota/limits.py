"""Time limits for the rota tests, which assert behaviour, never speed.

A test that needs an optimum proved gives the solver :data:`UNTIL_PROVED`: the solve stops
as soon as it has proved the optimum (seconds on a quiet machine, longer on a busy one), and
only a broken solver reaches the limit. How long a proof takes is a benchmark
(``benchmarks/rota/``), not a test.
"""

UNTIL_PROVED = 1800.0
