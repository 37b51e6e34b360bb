"""users-service: a REST service that manages users, on FastAPI, Beanie and MongoDB."""

from __future__ import annotations

__version__ = "0.1.0"
