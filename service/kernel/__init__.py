"""The shared kernel: small pieces every domain may import, which import no domain.

Today: the clock (`clock`), shared field types (`types`) and limit parsing (`limits`). The
error base and problem documents (`service.errors`, `service.problems`), HTTP caching and
media-type helpers sit beside it at the top level and are held to the same rule by the
import contracts in pyproject.toml.
"""
