"""Avatars: safe image upload, stored in GridFS, served with caching headers."""
