"""Structural rules the design relies on."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware


def test_no_base_http_middleware_anywhere(app: FastAPI, repo_root: Path) -> None:
    # BaseHTTPMiddleware runs the app in another task (losing contextvars) and costs a task
    # switch per request; every middleware here must be pure ASGI.
    for middleware in app.user_middleware:
        assert isinstance(middleware.cls, type)
        assert not issubclass(middleware.cls, BaseHTTPMiddleware), middleware.cls
    for source in (repo_root / "service").rglob("*.py"):
        assert "starlette.middleware.base" not in source.read_text(), source


def test_services_do_not_import_the_web_framework(repo_root: Path) -> None:
    for source in (repo_root / "service").rglob("service.py"):
        text = source.read_text()
        assert "import fastapi" not in text, source
        assert "from fastapi" not in text, source
