"""Outgoing mail: messages rendered from templates, sent in the background over SMTP.

Below the domains: it imports none of them, and the application layer decides what to send.
"""
