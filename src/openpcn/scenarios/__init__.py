"""What-if scenarios (issue 16): named lists of changes to a PCN's engine inputs, and their
effects computed by each domain's own engine on the baseline and on the changed inputs.

Pure Python: the Django side (``openpcn.data.scenarios``) stores scenarios and builds the
inputs from the database; nothing here reads or writes it. Import from the module that holds
the idea: ``changes`` (the change kinds, ``ChangeError``, reading and writing them as dicts),
``inputs`` (``Inputs`` and ``apply``), ``effects`` (``run``, ``Result``, the differences),
``rota`` (the sample-week rota).
"""
