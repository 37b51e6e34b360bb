"""Failures of model storage and serving, each mapped to a problem by `service.core.errors`."""

from __future__ import annotations

from typing import Any

from service.core.errors import Conflict, NotFound, ServiceError


class ModelNotFound(NotFound):
    """No model (or no such version of it) is stored."""

    slug = "model-not-found"


class NoActiveVersion(Conflict):
    """The model exists but none of its versions is active, and no version was asked for."""

    slug = "model-has-no-active-version"


class ModelServingUnavailable(ServiceError):
    """ONNX Runtime is not installed in this deployment, or serving is switched off."""

    status, slug, title = 503, "model-serving-unavailable", "Service Unavailable"


class InvalidModelFile(ServiceError):
    """The upload is not an ONNX classifier this service can serve (pickles included)."""

    status, slug, title = 422, "invalid-model-file", "Unprocessable Content"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.errors = [{"loc": ["body", "file"], "msg": detail, "type": "invalid_model"}]


class InvalidRows(ServiceError):
    """Prediction rows that do not match the model's input schema."""

    status, slug, title = 422, "validation-error", "Unprocessable Content"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} problem(s) with the rows; see `errors`.")
        self.errors = errors


class ModelFileTooLarge(ServiceError):
    """The ONNX file itself is over `MODEL_MAX_BYTES`."""

    status, slug, title = 413, "payload-too-large", "Content Too Large"


class ModelResourcesExhausted(ServiceError):
    """A run needed more memory than the worker's arena holds; ONNX Runtime refused it."""

    status, slug, title = 503, "model-resources-exhausted", "Service Unavailable"

    def __init__(self) -> None:
        super().__init__(
            "The model needed more memory than this worker allows its runs "
            "(MODEL_ARENA_MAX_BYTES); it was stopped and nothing was kept. Retry with fewer "
            "rows, or later.",
            headers={"Retry-After": "1"},
        )


class ModelRunTimedOut(ServiceError):
    """A run did not finish within `MODEL_RUN_TIMEOUT_S` and was stopped."""

    status, slug, title = 503, "model-run-timeout", "Service Unavailable"

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            f"The model did not finish within {timeout_s:g} s (MODEL_RUN_TIMEOUT_S) and was "
            "stopped. Retry with fewer rows, or later.",
            headers={"Retry-After": "1"},
        )


class ModelRunFailed(ServiceError):
    """ONNX Runtime could not run the model on these (valid) rows."""

    status, slug, title = 422, "model-run-failed", "Unprocessable Content"
