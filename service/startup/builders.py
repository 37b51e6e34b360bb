"""What start-up builds from the settings: one function per piece of the lifespan state.

The CLI commands build the pieces they need with the same functions, so a command and the
service agree on hashing cost, storage and token parameters.
"""

from __future__ import annotations

from datetime import timedelta

from service.auth.keys import KeySet
from service.auth.security import PasswordHasher, TokenCodec
from service.auth.service import LoginPolicy
from service.avatars.images import ImageLimits
from service.avatars.service import ImageDecoder
from service.avatars.storage import AvatarStorage, GridFSAvatarStorage
from service.core.admission import AdmissionGate
from service.core.config import Settings
from service.core.database import MongoDatabase
from service.mail.sender import LogSender, MailSender, SmtpConfig, SmtpSender
from service.models.onnx_files import ENABLE_HINT, ModelLimits, runtime_missing
from service.models.runtime import LruCache, Serving
from service.second_factor.policy import SecondFactorPolicy
from service.second_factor.sealing import Keyring
from service.startup.key_set import load_key_set


def build_hasher(settings: Settings, gate: AdmissionGate | None = None) -> PasswordHasher:
    """The password hasher with the configured Argon2id cost (bounded by `gate` if given)."""
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost_kib=settings.argon2_memory_cost_kib,
        parallelism=settings.argon2_parallelism,
        gate=gate,
    )


def build_avatar_storage(settings: Settings, database: MongoDatabase) -> AvatarStorage:
    """The avatar store the settings select: GridFS in `database`, or an S3 bucket."""
    if settings.avatar_storage == "s3":
        # obstore (~4 MiB) is loaded only by a worker that stores avatars in S3.
        from service.avatars.s3 import S3AvatarStorage, S3Location

        assert settings.avatar_s3_bucket is not None  # noqa: S101 - settings validate it
        return S3AvatarStorage(
            S3Location(
                bucket=settings.avatar_s3_bucket,
                prefix=settings.avatar_s3_prefix,
                region=settings.avatar_s3_region,
                endpoint_url=settings.avatar_s3_endpoint_url,
            )
        )
    return GridFSAvatarStorage(database)


def build_mail_sender(settings: Settings) -> MailSender:
    """SMTP when `SMTP_HOST` is set; else (development and tests only) the log."""
    if not settings.smtp_host:
        return LogSender(settings.mail_log_file)
    return SmtpSender(
        SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            starttls=settings.smtp_starttls,
            tls=settings.smtp_tls,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            timeout_s=settings.smtp_timeout_s,
        )
    )


def build_serving(settings: Settings, gate: AdmissionGate) -> Serving:
    """This worker's model-serving state; `missing` says why serving is off, if it is."""
    missing = runtime_missing() if settings.ml_enabled else f"ML_ENABLED is false. {ENABLE_HINT}"
    return Serving(
        missing=missing,
        gate=gate,
        sessions=LruCache(settings.model_session_cache_bytes),
        predictions=LruCache(settings.model_prediction_cache_rows),
        max_upload_bytes=settings.model_max_bytes,
        limits=build_model_limits(settings),
    )


def build_model_limits(settings: Settings) -> ModelLimits:
    """The per-model and per-run bounds of ONNX serving (`MODEL_*` settings)."""
    return ModelLimits(
        max_features=settings.model_max_features,
        arena_max_bytes=settings.model_arena_max_bytes,
        run_timeout_s=settings.model_run_timeout_s,
    )


def build_token_codec(settings: Settings, keys: KeySet | None = None) -> TokenCodec:
    """The access-token signer and verifier for these settings (and key set, if given)."""
    return TokenCodec(
        keys=keys or load_key_set(settings),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        ttl=timedelta(seconds=settings.access_token_ttl_s),
    )


def build_image_decoder(settings: Settings, gate: AdmissionGate) -> ImageDecoder:
    """The avatar decoder with the configured size and pixel limits, bounded by `gate`."""
    return ImageDecoder(
        ImageLimits(
            max_side=settings.avatar_max_side,
            output_side=settings.avatar_output_side,
            max_pixels=settings.avatar_max_pixels,
        ),
        gate,
    )


def build_login_policy(settings: Settings) -> LoginPolicy:
    """Refresh-token lifetime and login-throttling limits."""
    return LoginPolicy(
        refresh_ttl=timedelta(seconds=settings.refresh_token_ttl_s),
        max_failures=settings.login_max_failures,
        window_s=settings.login_window_s,
        max_failures_per_address=settings.login_max_failures_per_address,
        require_verified_email=settings.require_verified_email,
        attempt_lease_s=settings.request_timeout_s + 1,
    )


def build_second_factor_policy(settings: Settings) -> SecondFactorPolicy:
    """The keys sealing TOTP secrets, the issuer apps show, enrolment and guessing bounds."""
    active, older = settings.second_factor_keys()
    return SecondFactorPolicy(
        keys=Keyring(active, older),
        issuer=settings.second_factor_issuer,
        enrolment_ttl=timedelta(seconds=settings.second_factor_enrolment_ttl_s),
        max_failures=settings.second_factor_max_failures,
    )
