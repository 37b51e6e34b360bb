"""Reading ONNX files: is the runtime installed, is this file a servable classifier.

onnx and onnxruntime come from the optional `ml` extra, so they are imported lazily:
the service starts without them and the model routes say how to enable serving.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

from service.models.graph_checks import declared_features, value_dependent_nodes
from service.models.ort_limits import ModelRun, RunFailed, RunStopped, create_session

ENABLE_HINT = (
    "Model serving needs ONNX Runtime: install the `ml` extra "
    "(pip install 'users-service[ml]', or build the image with --build-arg WITH_ML=true) "
    "and leave ML_ENABLED=true."
)
# Pickle streams of protocol 2+ start with PROTO (0x80) and the protocol number; such files
# run code when loaded, so they are named and refused rather than reported as "corrupt".
_PICKLE_PREFIXES = tuple(bytes([0x80, protocol]) for protocol in range(2, 6))
# A classifier's class count: its labels are stored with the version, so it stays small.
MAX_CLASSES = 10_000


def runtime_missing(modules: tuple[str, ...] = ("onnxruntime", "onnx", "numpy")) -> str | None:
    """Why serving cannot work in this process (the missing module), or None when it can."""
    for module in modules:
        if importlib.util.find_spec(module) is None:
            return f"`{module}` is not installed. {ENABLE_HINT}"
    return None


class NotServable(ValueError):
    """The bytes are not an ONNX classifier with one float matrix input."""


@dataclass(frozen=True)
class ModelLimits:
    """The per-model and per-run bounds of a worker (settings `MODEL_*`)."""

    max_features: int
    arena_max_bytes: int
    run_timeout_s: float
    max_classes: int = MAX_CLASSES


@dataclass(frozen=True)
class GraphInfo:
    """What serving needs to know about a model, read from its graph."""

    input_name: str
    n_features: int
    probability_output: str
    n_classes: int
    class_labels: list[str] | None


def _class_labels(model: Any) -> list[str] | None:
    for node in model.graph.node:
        for attribute in node.attribute:
            if attribute.name == "classlabels_strings" and attribute.strings:
                return [label.decode() for label in attribute.strings]
            if attribute.name == "classlabels_ints" and attribute.ints:
                return [str(label) for label in attribute.ints]
    return None


def _probability_output(session: Any) -> str:
    for output in session.get_outputs():
        shape = output.shape
        if output.type == "tensor(float)" and len(shape) == 2:
            return str(output.name)
    raise NotServable("The model has no float [rows, classes] probability output.")


def _parse(data: bytes, limits: ModelLimits) -> Any:
    """The checked graph, refused before a session is built when its shape is unservable."""
    if data.startswith(_PICKLE_PREFIXES):
        raise NotServable("This is a Python pickle, not an ONNX file; pickles are never loaded.")
    onnx = importlib.import_module("onnx")
    try:
        model = onnx.load_model_from_string(data)
        onnx.checker.check_model(model)
    except Exception as exc:  # the parsers raise many unrelated types for bad bytes
        raise NotServable(f"The file is not a valid ONNX model ({type(exc).__name__}).") from None
    n_features = declared_features(model)
    if n_features is not None and n_features > limits.max_features:
        raise NotServable(
            f"The model declares {n_features} features; at most {limits.max_features} "
            "(MODEL_MAX_FEATURES) are served."
        )
    reason = value_dependent_nodes(model)
    if reason is not None:
        raise NotServable(reason)
    return model


_TEST_ROW_STOPPED = {
    "memory": "The model needs more memory than a worker's arena (MODEL_ARENA_MAX_BYTES) "
    "on a single test row.",
    "timeout": "The model did not finish a single test row within MODEL_RUN_TIMEOUT_S.",
    "cancelled": "The upload was cancelled.",
}


def inspect_onnx(data: bytes, limits: ModelLimits, run: ModelRun) -> GraphInfo:
    """Parse and check `data`, load it, run one row through it under the run limits.

    Raises `NotServable` saying why; `run` lets the caller stop the test row.
    """
    model = _parse(data, limits)
    numpy = importlib.import_module("numpy")
    try:
        session = create_session(data, limits.arena_max_bytes)
    except Exception as exc:  # ONNX Runtime refuses graphs the checker let through
        raise NotServable(f"ONNX Runtime cannot load the model ({type(exc).__name__}).") from None
    inputs = session.get_inputs()
    if len(inputs) != 1 or inputs[0].type != "tensor(float)" or len(inputs[0].shape) != 2:
        raise NotServable("The model must have exactly one float input of shape [rows, features].")
    n_features = inputs[0].shape[1]
    if not isinstance(n_features, int) or n_features < 1:
        raise NotServable("The model's input must declare a fixed number of features.")
    probability_output = _probability_output(session)
    test_row = {inputs[0].name: numpy.zeros((1, n_features), "float32")}
    try:
        probabilities = run(session, probability_output, test_row)
    except RunStopped as stopped:
        raise NotServable(_TEST_ROW_STOPPED[stopped.reason]) from None
    except RunFailed as failed:  # a graph that loads but cannot run is as unusable
        raise NotServable(f"The model failed on a test row ({failed}).") from None
    if probabilities.ndim != 2 or not 1 <= probabilities.shape[1] <= limits.max_classes:
        raise NotServable(f"The model must give 1 to {limits.max_classes} class probabilities.")
    return GraphInfo(
        input_name=str(inputs[0].name),
        n_features=n_features,
        probability_output=probability_output,
        n_classes=int(probabilities.shape[1]),
        class_labels=_class_labels(model),
    )


def predict_probabilities(
    session: Any, input_name: str, output: str, matrix: list[list[float]], run: ModelRun
) -> tuple[list[list[float]], list[int]]:
    """Class probabilities of each row and the indexes of rows whose probabilities are not
    finite (runs in a worker thread)."""
    numpy = importlib.import_module("numpy")
    probabilities = run(session, output, {input_name: numpy.asarray(matrix, "float32")})
    finite = numpy.isfinite(probabilities).all(axis=1)
    rows: list[list[float]] = probabilities.astype("float64").tolist()
    return rows, [int(i) for i in numpy.flatnonzero(~finite)]
