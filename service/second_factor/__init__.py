"""Second factors: TOTP secrets (sealed at rest), recovery codes and login challenges."""
