"""Service configuration, read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from service.core.credential_settings import CredentialSettings
from service.core.development import with_development_defaults
from service.core.limits import parse_limit
from service.core.origins import parse_origin
from service.core.setting_types import Environment, GateSlots, GateWaitS
from service.core.token_settings import TokenSettings

# Values that appear in examples and must never protect a real deployment.
PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev-secret", "CHANGE_ME"})
DEVELOPMENT_JWT_SECRET = "development-only-secret-do-not-use-in-production!"  # noqa: S105
HMAC_SECRET_MIN_BYTES = 32


class Settings(TokenSettings, CredentialSettings):
    """Every knob of the service; each maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    environment: Environment = Environment.DEVELOPMENT
    mongodb_url: str = "mongodb://127.0.0.1:27017"
    mongodb_db: str = Field(default="users_service", pattern=r"^[A-Za-z0-9_-]{1,63}$")
    # The deadline of all database work of one request (PyMongo CSOT), see README.
    mongodb_timeout_ms: int = Field(default=2000, ge=100, le=60_000)
    health_timeout_ms: int = Field(default=1000, ge=50, le=1000)
    # Server-side HMAC key of ETags and idempotency fingerprints (never of access tokens).
    jwt_secret: SecretStr = SecretStr(DEVELOPMENT_JWT_SECRET)
    login_max_failures: int = Field(default=5, ge=1, le=1000)
    login_window_s: int = Field(default=900, ge=1, le=86_400)
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    registration_open: bool = True
    argon2_time_cost: int = Field(default=3, ge=1, le=10)
    argon2_memory_cost_kib: int = Field(default=65536, ge=8192, le=1_048_576)
    argon2_parallelism: int = Field(default=4, ge=1, le=16)
    auth_cache_ttl_s: float = Field(default=1.0, ge=0.0, le=60.0)
    request_id_max_length: int = Field(default=128, ge=8, le=256)
    avatar_max_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)
    json_max_bytes: int = Field(default=1024 * 1024, ge=1024, le=50 * 1024 * 1024)
    avatar_max_side: int = Field(default=4096, ge=16, le=16384)
    avatar_output_side: int = Field(default=512, ge=16, le=2048)
    avatar_cache_max_age_s: int = Field(default=3600, ge=0, le=31_536_000)
    metrics_enabled: bool = True
    idempotency_ttl_s: int = Field(default=86_400, ge=60, le=30 * 86_400)
    purge_interval_s: float = Field(default=300.0, ge=0.0, le=86_400.0)
    purge_batch_size: int = Field(default=1000, ge=1, le=100_000)
    access_log_enabled: bool = True
    # Per-worker admission: see service/core/admission.py and the README's "Memory budget".
    hash_concurrency: GateSlots = 2
    hash_max_wait_s: GateWaitS = 2.0
    decode_concurrency: GateSlots = 1
    decode_max_wait_s: GateWaitS = 2.0
    avatar_max_pixels: int = Field(default=8_388_608, ge=1024, le=268_435_456)
    login_max_failures_per_address: int = Field(default=100, ge=1, le=100_000)
    # ONNX model serving (`/models`, service.models): needs the `ml` extra installed.
    ml_enabled: bool = True
    model_max_bytes: int = Field(default=16 * 1024 * 1024, ge=1024, le=512 * 1024 * 1024)
    model_session_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0, le=16 * 1024**3)
    # Per-run bounds of ONNX Runtime (service/inference/ort_limits.py, README "Memory budget"):
    # the declared input width, the wall time of one run, and the worker's tensor arena.
    model_max_features: int = Field(default=1000, ge=1, le=10_000)
    model_run_timeout_s: float = Field(default=10.0, gt=0, le=600)
    model_arena_max_bytes: int = Field(
        default=128 * 1024 * 1024, ge=16 * 1024 * 1024, le=16 * 1024**3
    )
    # Bounded by rows, not requests: one cached request may hold up to 1000 rows.
    model_prediction_cache_rows: int = Field(default=20_000, ge=0, le=10_000_000)
    inference_concurrency: GateSlots = 1
    inference_max_wait_s: GateWaitS = 2.0
    # Where avatar bytes live: GridFS in the service's database, or an S3 bucket.
    avatar_storage: Literal["gridfs", "s3"] = "gridfs"
    avatar_s3_bucket: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
    )
    avatar_s3_prefix: str = Field(default="avatars/", max_length=200)
    avatar_s3_region: str | None = None
    avatar_s3_endpoint_url: str | None = Field(default=None, pattern=r"^https?://")
    # Rate limits (service/ratelimit/): one "<count>/<period>" per route group.
    rate_limit_enabled: bool = True
    rate_limit_storage_url: str = Field(
        default="memory://", pattern=r"^(memory://|rediss?://|unix://)"
    )
    # The store is down after this many failures in a row (refused, lost, or silent for
    # RATE_LIMIT_STORE_TIMEOUT_MS while it owes replies); then left alone for the retry.
    rate_limit_store_timeout_ms: int = Field(default=500, ge=5, le=5000)
    rate_limit_store_failures: int = Field(default=3, ge=1, le=100)
    rate_limit_store_retry_s: float = Field(default=1.0, ge=0.0, le=60.0)
    # IPv6 clients are counted per network of this prefix length (128: per address).
    rate_limit_ipv6_prefix: int = Field(default=64, ge=32, le=128)
    rate_limit_auth: str = "10/minute"
    rate_limit_read: str = "600/minute"
    rate_limit_write: str = "120/minute"
    rate_limit_avatar: str = "10/minute"
    rate_limit_inference: str = "300/minute"
    # Server limits (service/http/: server_limits.py, hosts.py, deadline.py).
    server_max_header_bytes: int = Field(default=16_384, ge=1024, le=1_048_576)
    server_max_headers: int = Field(default=100, ge=10, le=1000)
    server_header_timeout_s: float = Field(default=10.0, gt=0, le=300)
    server_keep_alive_timeout_s: int = Field(default=5, ge=1, le=300)
    server_limit_concurrency: int = Field(default=0, ge=0)  # 0: no limit
    server_backlog: int = Field(default=2048, ge=1, le=65_535)
    request_timeout_s: float = Field(default=30.0, gt=0, le=3600)
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    public_base_url: str | None = None
    # What the service tells about itself (unset: on outside production, off in it).
    openapi_enabled: bool | None = None
    docs_enabled: bool | None = None
    server_header: bool = False
    # Account mail (service/mail/): without SMTP_HOST, development logs mails instead.
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65_535)
    smtp_starttls: bool = True
    smtp_tls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(default=10.0, gt=0, le=120)
    mail_from: str = Field(default="users-service <no-reply@localhost>", min_length=3)
    # Single-use account tokens (verification, password reset) and their throttle.
    verify_token_ttl_s: int = Field(default=86_400, ge=60, le=30 * 86_400)
    reset_token_ttl_s: int = Field(default=1800, ge=60, le=86_400)
    account_mail_max_per_window: int = Field(default=5, ge=1, le=1000)
    # The mail budget (service/mail/budget.py): mails a stranger can cause, per window.
    mail_budget_per_recipient: int = Field(default=10, ge=1, le=10_000)
    mail_budget_per_client: int = Field(default=30, ge=1, le=100_000)
    mail_budget_window_s: int = Field(default=3600, ge=60, le=7 * 86_400)
    require_verified_email: bool = False
    # Without SMTP_HOST, development also appends each mail as a JSON line here.
    mail_log_file: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _development_defaults(cls, data: object) -> object:
        return with_development_defaults(data)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("cors_origins", "trusted_proxies", "allowed_hosts", mode="before")
    @classmethod
    def _split_lists(cls, value: object) -> object:
        # Operators write these lists comma-separated, not as JSON.
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator(
        "avatar_s3_bucket",
        "avatar_s3_region",
        "avatar_s3_endpoint_url",
        "smtp_host",
        "smtp_username",
        "smtp_password",
        "mail_log_file",
        "openapi_enabled",
        "docs_enabled",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `.env.example` lists every variable; an empty one means "not set".
        return None if value == "" else value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # ValueError names the bad entry
        return value

    @field_validator(
        "rate_limit_auth",
        "rate_limit_read",
        "rate_limit_write",
        "rate_limit_avatar",
        "rate_limit_inference",
    )
    @classmethod
    def _one_rate_limit(cls, value: str) -> str:
        parse_limit(value)  # ValueError names what is wrong
        return value

    @field_validator("public_base_url")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        return None if not value else parse_origin(value)

    @model_validator(mode="after")
    def _s3_needs_a_bucket(self) -> Settings:
        if self.avatar_storage == "s3" and not self.avatar_s3_bucket:
            raise ValueError("AVATAR_S3_BUCKET must be set when AVATAR_STORAGE=s3")
        return self

    @model_validator(mode="after")
    def _require_real_secret_outside_development(self) -> Settings:
        secret = self.jwt_secret.get_secret_value()
        placeholder = secret in PLACEHOLDER_SECRETS or secret == DEVELOPMENT_JWT_SECRET
        if self.environment is not Environment.DEVELOPMENT and placeholder:
            raise ValueError("JWT_SECRET must be set to a real secret outside development")
        # An HMAC-SHA256 key at least as long as the hash output (RFC 2104).
        if len(secret.encode()) < HMAC_SECRET_MIN_BYTES:
            raise ValueError(f"JWT_SECRET must be at least {HMAC_SECRET_MIN_BYTES} bytes")
        # Written URLs (Location, Link, avatar_url) must never follow a forged Host header.
        production = self.environment is Environment.PRODUCTION
        if production and not (self.public_base_url or self.allowed_hosts):
            raise ValueError("set PUBLIC_BASE_URL or ALLOWED_HOSTS in production")
        return self

    @property
    def serves_openapi(self) -> bool:
        """Whether `/openapi.json` is served: OPENAPI_ENABLED, else outside production."""
        default = self.environment is not Environment.PRODUCTION
        return default if self.openapi_enabled is None else self.openapi_enabled

    @property
    def serves_docs(self) -> bool:
        """Whether `/docs` and `/redoc` are served: DOCS_ENABLED, else as the document is."""
        return self.serves_openapi if self.docs_enabled is None else self.docs_enabled

    @model_validator(mode="after")
    def _mail_and_docs_are_usable(self) -> Settings:
        if self.smtp_tls and self.smtp_starttls:
            raise ValueError("set at most one of SMTP_TLS and SMTP_STARTTLS")
        # Without SMTP the mails (and their live tokens) would only be logged: never there.
        if self.environment is Environment.PRODUCTION and not self.smtp_host:
            raise ValueError("SMTP_HOST must be set in production")
        if self.serves_docs and not self.serves_openapi:  # the docs render that document
            raise ValueError("DOCS_ENABLED needs OPENAPI_ENABLED")
        return self


@lru_cache
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment on first use."""
    return Settings()
