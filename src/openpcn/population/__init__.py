"""Population health engine: patient-level data, synthetic populations, cohort definitions.

Public API (no Django anywhere):

- :func:`openpcn.population.generator.generate` - deterministic synthetic dataset.
- :func:`openpcn.population.schema.load_dataset` / :func:`write_dataset` - Parquet + DuckDB.
- :func:`openpcn.population.engines.run_definitions` - run every YAML definition on an engine.
- :func:`openpcn.population.outputs.worklist` - per-practice rows with reasons.
"""
