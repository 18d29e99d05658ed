"""The `openpcn` command line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from openpcn.cli.main import app
from openpcn.data.accounts.models import User

runner = CliRunner()


@pytest.mark.django_db
def test_user_create_with_role_and_scope(orgs):
    result = runner.invoke(
        app, ["user", "create", "alice", "--role", "pcn_lead", "--scope", "u00001"]
    )
    assert result.exit_code == 0, result.output
    assert "Password (shown once)" in result.output
    assert User.objects.get(username="alice").scope_code == "U00001"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "Unknown role 'boss'"),
        (["--role", "pcn_lead"], "needs --scope"),
        (["--role", "pcn_lead", "--scope", "QAA"], "is a Integrated care board"),
        (["--role", "pcn_lead", "--scope", "ZZZ"], "No organisation with ODS code 'ZZZ'"),
        (["--role", "admin", "--scope", "QAA"], "Administrators are not scoped"),
    ],
)
def test_user_create_bad_input(orgs, args, message):
    result = runner.invoke(app, ["user", "create", "bob", *args])
    assert result.exit_code == 1
    assert message in result.output
    assert not User.objects.filter(username="bob").exists()


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **extra}


def _openpcn(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "openpcn", *args],
        capture_output=True,
        text=True,
        env=_env(**(env or {})),
        timeout=120,
    )


def test_check_passes_with_production_settings():
    result = _openpcn(
        "check",
        env={
            "OPENPCN_SECRET_KEY": "k" * 30 + "Zq9-x" * 10,
            "OPENPCN_ALLOWED_HOSTS": "openpcn.example.nhs.uk",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Deployment checks passed" in result.stdout


def test_missing_secret_in_production_is_a_clear_error():
    env = {k: v for k, v in _env().items() if k != "OPENPCN_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "openpcn", "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    assert "OPENPCN_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
