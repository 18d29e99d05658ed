"""Errors of the finance engines: each message names the record, field and value at fault."""

from __future__ import annotations


class FinanceError(ValueError):
    """Bad input to a finance engine (a claim, a contract, a split): nothing is computed."""


class IllegalTransition(FinanceError):
    """A claim status change the claim workflow does not allow."""
