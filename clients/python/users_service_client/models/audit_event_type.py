from enum import StrEnum


class AuditEventType(StrEnum):
    ACCOUNT_INVITED = "account.invited"
    ACTIVE_CHANGED = "active.changed"
    EMAIL_CHANGED = "email.changed"
    EMAIL_VERIFIED = "email.verified"
    KEY_ROTATED = "key.rotated"
    LOGIN_FAILED = "login.failed"
    LOGIN_SUCCEEDED = "login.succeeded"
    PASSKEY_ADDED = "passkey.added"
    PASSKEY_DISABLED = "passkey.disabled"
    PASSKEY_REMOVED = "passkey.removed"
    PASSKEY_USED = "passkey.used"
    PASSWORD_CHANGED = "password.changed"
    PASSWORD_RESET = "password.reset"
    RECOVERY_CODES_REGENERATED = "recovery_codes.regenerated"
    RECOVERY_CODE_USED = "recovery_code.used"
    ROLE_CHANGED = "role.changed"
    SECOND_FACTOR_ADDED = "second_factor.added"
    SECOND_FACTOR_REMOVED = "second_factor.removed"
    SECOND_FACTOR_RESET = "second_factor.reset"
    SECOND_FACTOR_USED = "second_factor.used"
    SESSION_ENDED = "session.ended"

    def __str__(self) -> str:
        return str(self.value)
