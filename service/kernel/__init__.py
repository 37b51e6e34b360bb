"""The shared kernel: small pieces every domain may import, which import no domain.

The clock (`clock`), shared field types and the password-hashing protocol (`types`), who is
asking (`identity`), typed lifespan-state accessors (`state`), one handler behind two
routes (`route_alias`), the multipart body check (`multipart`), client addresses and limit
parsing. The error base and problem documents (`service.core.errors`, `service.http.problems`), HTTP
caching and media-type helpers sit beside it at the top level and are held to the same rule
by the import contracts (`scripts/import_contracts.py`).
"""
