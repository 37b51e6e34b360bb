"""The access-token keys the settings name.

Apart from the other builders: `serve` checks the keys before any worker starts, and
importing only this keeps the uvicorn master process small (it serves no request).
"""

from __future__ import annotations

from pathlib import Path

from service.auth.key_store import ensure_development_keys, read_directory, read_variables
from service.auth.keys import KeySet, KeySetError
from service.core.config import Settings
from service.core.setting_types import Environment


def load_key_set(settings: Settings) -> KeySet:
    """The access-token keys: JWT_SIGNING_KEY (+ JWT_VERIFY_KEYS), else JWT_KEYS_DIR.

    Development and tests create a key in an empty directory; production never does.
    KeySetError names the variable to fix.
    """
    directory = Path(settings.jwt_keys_dir)
    try:
        if settings.jwt_signing_key is not None:
            verify = settings.jwt_verify_keys
            return read_variables(
                settings.jwt_signing_key.get_secret_value(),
                verify.get_secret_value() if verify else None,
            )
        if settings.environment is Environment.PRODUCTION:
            return read_directory(directory)
        return ensure_development_keys(directory, settings.jwt_algorithm)
    except (KeySetError, OSError) as exc:
        source = "JWT_SIGNING_KEY/JWT_VERIFY_KEYS" if settings.jwt_signing_key else "JWT_KEYS_DIR"
        raise KeySetError(f"{source}: {exc}") from None
