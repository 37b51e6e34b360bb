"""The application layer: work that spans domains (registration with an avatar, deleting an
account, password changes, avatars as a user's picture), above `users`, `auth` and
`avatars`, which do not import each other for it."""
