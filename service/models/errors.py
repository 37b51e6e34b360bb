"""Failures of model storage and serving; `service.api.problems` maps each to a problem."""

from __future__ import annotations

from service.core.errors import Conflict, FieldError, NotFound, ServiceError, Unavailable


class ModelNotFound(NotFound):
    """No model (or no such version of it) is stored."""


class NoActiveVersion(Conflict):
    """The model exists but none of its versions is active, and no version was asked for."""


class ModelServingUnavailable(Unavailable):
    """ONNX Runtime is not installed in this deployment, or serving is switched off."""


class InvalidModelFile(ServiceError):
    """The upload is not an ONNX classifier this service can serve (pickles included)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.errors = [FieldError(loc=["body", "file"], msg=detail, type="invalid_model")]


class InvalidRows(ServiceError):
    """Prediction rows that do not match the model's input schema."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} problem(s) with the rows; see `errors`.")
        self.errors = errors


class ModelFileTooLarge(ServiceError):
    """The ONNX file itself is over `MODEL_MAX_BYTES`."""


class ModelResourcesExhausted(Unavailable):
    """A run needed more memory than the worker's arena holds; ONNX Runtime refused it."""

    def __init__(self) -> None:
        super().__init__(
            "The model needed more memory than this worker allows its runs "
            "(MODEL_ARENA_MAX_BYTES); it was stopped and nothing was kept. Retry with fewer "
            "rows, or later.",
            retry_after_s=1,
        )


class ModelRunTimedOut(Unavailable):
    """A run did not finish within `MODEL_RUN_TIMEOUT_S` and was stopped."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(
            f"The model did not finish within {timeout_s:g} s (MODEL_RUN_TIMEOUT_S) and was "
            "stopped. Retry with fewer rows, or later.",
            retry_after_s=1,
        )


class ModelRunFailed(ServiceError):
    """ONNX Runtime could not run the model on these (valid) rows."""
