"""Routes the API modules declare, built once: on the app.

FastAPI builds a route when its router's decorator runs (the endpoint's dependencies
analysed, a validator made for each parameter and the response model), and the app
builds it again when it takes the route over (`service.main.add_routes`, which declares
every route on the app itself). Built twice, the ~60 routes cost ~0.2 s of CPU at every
worker's start for nothing. A router whose route class comes from `declared` records
what each decorator declared, with the router's own prefix, tags, dependencies and
responses merged in by FastAPI as usual, and the app builds it once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from fastapi.routing import APIRoute, APIRouter

# What a declaration carries onto the router that builds it, as `service.main.add_routes`
# carries a built route's attributes (the rest is that router's own).
CARRIED = (
    *("response_model", "status_code", "tags", "dependencies", "summary", "description"),
    *("response_description", "responses", "deprecated", "methods", "operation_id"),
    *("response_model_include", "response_model_exclude", "response_model_by_alias"),
    *("response_model_exclude_unset", "response_model_exclude_defaults"),
    *("response_model_exclude_none", "include_in_schema", "response_class", "name"),
    *("callbacks", "openapi_extra", "generate_unique_id_function"),
)


class DeclaredRoute(APIRoute):
    """One declaration, not yet a route: its path, endpoint and merged options.

    An `APIRoute` only so routers accept it as their route class; nothing of a route is
    built, and it never serves a request (only the app's routes do).
    """

    route_class: ClassVar[type[APIRoute]] = APIRoute

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        # Deliberately not APIRoute.__init__: building the route is what is deferred.
        self.path = path
        self.endpoint = endpoint
        self.options = options

    def build_on(self, router: APIRouter) -> None:
        """Build the declared route as a route of `router` (the app's)."""
        carried = {key: self.options[key] for key in CARRIED if key in self.options}
        router.add_api_route(
            self.path, self.endpoint, **carried, route_class_override=self.route_class
        )


def declared(route_class: type[APIRoute]) -> type[DeclaredRoute]:
    """A route class for a router: it records declarations the app builds as `route_class`."""
    return type(f"Declared{route_class.__name__}", (DeclaredRoute,), {"route_class": route_class})
