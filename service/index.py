"""The service's front door: `GET /` names the service and links to what it offers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field

from service import __version__

router = APIRouter(tags=["operations"])


class IndexLinks(BaseModel):
    """Where to go next."""

    docs: str = Field(description="Swagger UI.")
    redoc: str = Field(description="ReDoc.")
    openapi: str = Field(description="The OpenAPI document.")
    health: str = Field(description="Health report.")
    metrics: str = Field(description="Prometheus metrics.")
    users: str = Field(description="The users resource.")


class Index(BaseModel):
    """Name, version and links."""

    name: str
    version: str
    links: IndexLinks


@router.get(
    "/",
    response_model=Index,
    summary="Service index",
    description="The service's name and version, with links to the docs, health and metrics.",
)
async def index(request: Request) -> Index:
    """Name, version and where to go next."""
    base = str(request.base_url).rstrip("/")
    return Index(
        name="users-service",
        version=__version__,
        links=IndexLinks(
            docs=f"{base}/docs",
            redoc=f"{base}/redoc",
            openapi=f"{base}/openapi.json",
            health=f"{base}/health",
            metrics=f"{base}/metrics",
            users=f"{base}/users",
        ),
    )


@router.get("/swagger", include_in_schema=False)
async def swagger() -> RedirectResponse:
    """The name some clients expect for the interactive docs."""
    return RedirectResponse("/docs", status_code=308)
