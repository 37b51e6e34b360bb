"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .assertion_response import AssertionResponse
from .attestation_response import AttestationResponse
from .audit_event_detail import AuditEventDetail
from .audit_event_read import AuditEventRead
from .audit_event_type import AuditEventType
from .authentication_credential import AuthenticationCredential
from .authentication_credential_authenticator_attachment_type_0 import (
    AuthenticationCredentialAuthenticatorAttachmentType0,
)
from .body_auth_browser_token import BodyAuthBrowserToken
from .body_auth_token import BodyAuthToken
from .body_models_versions_create import BodyModelsVersionsCreate
from .body_users_avatar_upload import BodyUsersAvatarUpload
from .browser_tokens import BrowserTokens
from .challenge_redemption import ChallengeRedemption
from .check_result import CheckResult
from .check_result_status import CheckResultStatus
from .checks import Checks
from .code_request import CodeRequest
from .email_request import EmailRequest
from .enrol_request import EnrolRequest
from .feature_spec import FeatureSpec
from .feature_spec_type import FeatureSpecType
from .field_error import FieldError
from .health_report import HealthReport
from .health_report_status import HealthReportStatus
from .index import Index
from .index_links import IndexLinks
from .metrics import Metrics
from .model_read import ModelRead
from .model_summary import ModelSummary
from .passkey_login import PasskeyLogin
from .passkey_login_options_request import PasskeyLoginOptionsRequest
from .passkey_read import PasskeyRead
from .password_change import PasswordChange
from .password_reset import PasswordReset
from .prediction import Prediction
from .prediction_request import PredictionRequest
from .prediction_request_rows_item import PredictionRequestRowsItem
from .prediction_response import PredictionResponse
from .probabilities import Probabilities
from .problem import Problem
from .proof_request import ProofRequest
from .recovery_codes import RecoveryCodes
from .refresh_request import RefreshRequest
from .response_auth_passkey_options import ResponseAuthPasskeyOptions
from .response_users_me_passkeys_registration_options import ResponseUsersMePasskeysRegistrationOptions
from .response_well_known_jwks_get import ResponseWellKnownJwksGet
from .response_well_known_openid_configuration_get import ResponseWellKnownOpenidConfigurationGet
from .role import Role
from .second_factor_challenge import SecondFactorChallenge
from .second_factor_status import SecondFactorStatus
from .second_factor_status_state_type_0 import SecondFactorStatusStateType0
from .session_read import SessionRead
from .token_pair import TokenPair
from .token_request import TokenRequest
from .totp_enrolment import TotpEnrolment
from .user_create import UserCreate
from .user_create_files_body import UserCreateFilesBody
from .user_read import UserRead
from .user_replace import UserReplace
from .user_update import UserUpdate
from .users_create_files_body import UsersCreateFilesBody
from .users_list_sort import UsersListSort
from .version_patch import VersionPatch
from .version_read import VersionRead

__all__ = (
    "Accepted",
    "AssertionResponse",
    "AttestationResponse",
    "AuditEventDetail",
    "AuditEventRead",
    "AuditEventType",
    "AuthenticationCredential",
    "AuthenticationCredentialAuthenticatorAttachmentType0",
    "BodyAuthBrowserToken",
    "BodyAuthToken",
    "BodyModelsVersionsCreate",
    "BodyUsersAvatarUpload",
    "BrowserTokens",
    "ChallengeRedemption",
    "CheckResult",
    "CheckResultStatus",
    "Checks",
    "CodeRequest",
    "EmailRequest",
    "EnrolRequest",
    "FeatureSpec",
    "FeatureSpecType",
    "FieldError",
    "HealthReport",
    "HealthReportStatus",
    "Index",
    "IndexLinks",
    "Metrics",
    "ModelRead",
    "ModelSummary",
    "PasskeyLogin",
    "PasskeyLoginOptionsRequest",
    "PasskeyRead",
    "PasswordChange",
    "PasswordReset",
    "Prediction",
    "PredictionRequest",
    "PredictionRequestRowsItem",
    "PredictionResponse",
    "Probabilities",
    "Problem",
    "ProofRequest",
    "RecoveryCodes",
    "RefreshRequest",
    "ResponseAuthPasskeyOptions",
    "ResponseUsersMePasskeysRegistrationOptions",
    "ResponseWellKnownJwksGet",
    "ResponseWellKnownOpenidConfigurationGet",
    "Role",
    "SecondFactorChallenge",
    "SecondFactorStatus",
    "SecondFactorStatusStateType0",
    "SessionRead",
    "TokenPair",
    "TokenRequest",
    "TotpEnrolment",
    "UserCreate",
    "UserCreateFilesBody",
    "UserRead",
    "UserReplace",
    "UsersCreateFilesBody",
    "UsersListSort",
    "UserUpdate",
    "VersionPatch",
    "VersionRead",
)
