"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .body_auth_browser_token import BodyAuthBrowserToken
from .body_auth_token import BodyAuthToken
from .body_models_versions_create import BodyModelsVersionsCreate
from .body_users_avatar_upload import BodyUsersAvatarUpload
from .browser_tokens import BrowserTokens
from .check_result import CheckResult
from .check_result_status import CheckResultStatus
from .checks import Checks
from .email_request import EmailRequest
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
from .password_change import PasswordChange
from .password_reset import PasswordReset
from .prediction import Prediction
from .prediction_request import PredictionRequest
from .prediction_request_rows_item import PredictionRequestRowsItem
from .prediction_response import PredictionResponse
from .probabilities import Probabilities
from .problem import Problem
from .refresh_request import RefreshRequest
from .response_well_known_jwks_get import ResponseWellKnownJwksGet
from .response_well_known_openid_configuration_get import ResponseWellKnownOpenidConfigurationGet
from .role import Role
from .session_read import SessionRead
from .token_pair import TokenPair
from .token_request import TokenRequest
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
    "BodyAuthBrowserToken",
    "BodyAuthToken",
    "BodyModelsVersionsCreate",
    "BodyUsersAvatarUpload",
    "BrowserTokens",
    "CheckResult",
    "CheckResultStatus",
    "Checks",
    "EmailRequest",
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
    "PasswordChange",
    "PasswordReset",
    "Prediction",
    "PredictionRequest",
    "PredictionRequestRowsItem",
    "PredictionResponse",
    "Probabilities",
    "Problem",
    "RefreshRequest",
    "ResponseWellKnownJwksGet",
    "ResponseWellKnownOpenidConfigurationGet",
    "Role",
    "SessionRead",
    "TokenPair",
    "TokenRequest",
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
