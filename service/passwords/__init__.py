"""Password quality: strength (zxcvbn), the user's own names, and the breach corpus (HIBP).

No HTTP here: the use cases of `service.accounts` call `PasswordPolicy.check` before they
hash a new password; refusals are plain exceptions (`service.passwords.errors`).
"""
