"""The groups of settings that live in modules of their own, combined into one base.

`Settings` (config.py) inherits this; a new group is a `BaseSettings` mixin in its own
`*_settings.py` module, added here.
"""

from __future__ import annotations

from service.core.audit_settings import AuditSettings
from service.core.credential_settings import CredentialSettings
from service.core.link_settings import AccountLinkSettings
from service.core.second_factor_settings import SecondFactorSettings
from service.core.token_settings import TokenSettings
from service.core.webauthn_settings import WebAuthnSettings


class SettingGroups(
    WebAuthnSettings,
    TokenSettings,
    SecondFactorSettings,
    CredentialSettings,
    AccountLinkSettings,
    AuditSettings,
):
    """Passkey, token, second-factor, password/session, mailed-link and audit settings
    (each documented in its own module)."""
