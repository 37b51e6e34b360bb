"""Prometheus business counters: users, avatars, mails, admission, the database, models,
the audit trail.

Each app gets its own registry so several apps in one process (tests) never collide.
"""

from __future__ import annotations

from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from service.audit.metrics import AuditMetrics
from service.mail.budget import BUDGETS as MAIL_BUDGETS
from service.mail.templates import MAIL_KINDS
from service.models.metrics import ModelMetrics
from service.passwords.breaches import BreachOutcome

# Most routes answer in 1-5 ms unloaded (bench/RESULTS.md: ~0.4 ms of CPU for a read), so
# the low end is fine enough for p50/p95 there; 0.1 and 0.25 s are the latency SLO's
# thresholds (docker/prometheus/alerts.yml); hashing routes (~0.1-0.3 s) land in 0.1-0.5.
LATENCY_BUCKETS_S = (
    0.001,
    0.002,
    0.003,
    0.005,
    0.0075,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)
BYTE_BUCKETS = (1024, 8192, 32768, 131072, 524288, 1048576, 2097152, 4194304)


@dataclass(frozen=True)
class BusinessMetrics:
    """Counters of what the service did, as opposed to how HTTP went."""

    users_created: Counter
    users_updated: Counter
    users_deleted: Counter
    avatar_uploads: Counter
    avatar_rejections: Counter
    avatar_upload_bytes: Histogram
    avatar_stored_bytes: Histogram
    database_up: Gauge
    admission_rejections: Counter
    db_purged: Counter
    mails_sent: Counter
    mails_failed: Counter
    mails_withheld: Counter
    passkey_logins: Counter
    password_breach_checks: Counter
    models: ModelMetrics
    audit: AuditMetrics
    second_factor: Counter

    @classmethod
    def on(cls, registry: CollectorRegistry) -> BusinessMetrics:
        """Create the counters in `registry`."""
        return cls(
            users_created=Counter("users_created", "Users registered.", registry=registry),
            users_updated=Counter("users_updated", "User updates applied.", registry=registry),
            users_deleted=Counter("users_deleted", "Users deleted.", registry=registry),
            avatar_uploads=_with_labels(
                Counter(
                    "avatar_uploads",
                    "Avatars accepted, by source format.",
                    ["format"],
                    registry=registry,
                ),
                format=AVATAR_FORMATS,
            ),
            avatar_rejections=_with_labels(
                Counter(
                    "avatar_rejections",
                    "Avatar uploads refused, by reason.",
                    ["reason"],
                    registry=registry,
                ),
                reason=AVATAR_REJECTION_REASONS,
            ),
            avatar_upload_bytes=Histogram(
                "avatar_upload_bytes",
                "Size of accepted uploads.",
                buckets=BYTE_BUCKETS,
                registry=registry,
            ),
            database_up=Gauge(
                "database_up",
                "1 when MongoDB answered the last readiness ping, else 0.",
                multiprocess_mode="mostrecent",
                registry=registry,
            ),
            db_purged=Counter(
                "db_purged",
                "Expired documents deleted by the purge task, by collection.",
                ["collection"],
                registry=registry,
            ),
            avatar_stored_bytes=Histogram(
                "avatar_stored_bytes",
                "Size of re-encoded avatars.",
                buckets=BYTE_BUCKETS,
                registry=registry,
            ),
            mails_sent=_with_labels(
                Counter("mails_sent", "Mails delivered, by kind.", ["kind"], registry=registry),
                kind=MAIL_KINDS,
            ),
            mails_failed=_with_labels(
                Counter(
                    "mails_failed",
                    "Mails given up on after every retry failed, by kind.",
                    ["kind"],
                    registry=registry,
                ),
                kind=MAIL_KINDS,
            ),
            mails_withheld=_with_label_pairs(
                Counter(
                    "mails_withheld",
                    "Mails a stranger caused but the mail budget withheld, by kind and budget.",
                    ["kind", "budget"],
                    registry=registry,
                ),
                MAIL_KINDS,
                MAIL_BUDGETS,
            ),
            admission_rejections=_with_labels(
                Counter(
                    "admission_rejections",
                    "Requests answered 503 because every slot of a per-worker gate was busy.",
                    ["gate"],
                    registry=registry,
                ),
                gate=ADMISSION_GATES,
            ),
            passkey_logins=_with_labels(
                Counter(
                    "passkey_logins",
                    "Passkey login attempts, by outcome (disabled: a cloned passkey refused).",
                    ["outcome"],
                    registry=registry,
                ),
                outcome=PASSKEY_LOGIN_OUTCOMES,
            ),
            password_breach_checks=_with_labels(
                Counter(
                    "password_breach_checks",
                    "New passwords looked up in the breach corpus (HIBP), by outcome.",
                    ["outcome"],
                    registry=registry,
                ),
                outcome=BREACH_OUTCOMES,
            ),
            models=ModelMetrics.on(registry),
            audit=AuditMetrics.on(registry),
            second_factor=_with_labels(
                Counter(
                    "second_factor_outcomes",
                    "Second-factor events by outcome (logins by method, wrong codes, changes).",
                    ["outcome"],
                    registry=registry,
                ),
                outcome=SECOND_FACTOR_OUTCOMES,
            ),
        )


# Known label values, whose series exist at 0 from the start: Prometheus sees no increase
# when a series is born at 1, so without them the first event after a restart would not
# count in rate()/increase() and alerts on them would miss it.
# What service.accounts' second-factor use cases count: logins completed by method,
# refusals, and the changes of a factor.
SECOND_FACTOR_OUTCOMES = (
    *("login_totp", "login_recovery_code", "wrong_code", "invalid_challenge"),
    *("enrolment_started", "enabled", "disabled", "recovery_codes_regenerated", "reset"),
)
# The per-worker gates of service.core.admission.
ADMISSION_GATES = ("hashing", "decoding", "inference")
# service.passwords.breaches.BreachOutcome.
BREACH_OUTCOMES = tuple(str(outcome) for outcome in BreachOutcome)
# Lower-cased service.avatars.images.ACCEPTED_FORMATS (the label of accepted uploads).
AVATAR_FORMATS = ("png", "jpeg", "webp", "gif")
# The problem slugs of service.avatars.errors.UnsupportedImage and InvalidImage.
AVATAR_REJECTION_REASONS = ("unsupported-image", "invalid-image")
# The outcomes of service.accounts.passkey_login.login.
PASSKEY_LOGIN_OUTCOMES = ("succeeded", "failed", "disabled", "throttled")


def _with_label_pairs(counter: Counter, first: tuple[str, ...], second: tuple[str, ...]) -> Counter:
    for a in first:
        for b in second:
            counter.labels(a, b)
    return counter


def _with_labels(counter: Counter, **values: tuple[str, ...]) -> Counter:
    for name, labels in values.items():
        for label in labels:
            counter.labels(**{name: label})
    return counter
