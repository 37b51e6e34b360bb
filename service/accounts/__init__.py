"""The application layer: work that spans domains (registration with an avatar, logging in
and rotating tokens, deleting an account, password changes and resets, avatars as a user's
picture). It imports the domains; no domain imports it."""
