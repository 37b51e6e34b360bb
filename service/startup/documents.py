"""The one list of stored documents: Beanie binds them and the database indexes them.

Adding a resource adds its documents here; nothing else lists them.
"""

from __future__ import annotations

from beanie import Document

from service.audit.models import AuditEvent
from service.auth.models import AccountToken, LoginFailures, RefreshToken
from service.core.database import MongoDatabase, bind_documents
from service.idempotency.models import IdempotencyRecord
from service.mail.budget import MailBudgetCounter
from service.models.documents import ModelHead, ModelVersion
from service.passkeys.models import Passkey, PasskeyChallenge
from service.second_factor.models import LoginChallenge, RecoveryCode, SecondFactor
from service.users.models import User

DOCUMENT_MODELS: list[type[Document]] = [
    User,
    RefreshToken,
    LoginFailures,
    AccountToken,
    MailBudgetCounter,
    IdempotencyRecord,
    ModelVersion,
    ModelHead,
    AuditEvent,
    Passkey,
    PasskeyChallenge,
    SecondFactor,
    RecoveryCode,
    LoginChallenge,
]
# Documents that carry an `expires_at` (and a TTL index on it; on FerretDB, the purge task).
EXPIRING_MODELS: list[type[Document]] = [
    model for model in DOCUMENT_MODELS if "expires_at" in model.model_fields
]


async def init_models(database: MongoDatabase) -> None:
    """Bind every stored document to the database and create their indexes."""
    await bind_documents(database, DOCUMENT_MODELS)
