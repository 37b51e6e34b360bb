"""Reading ONNX files: is the runtime installed, is this file a servable classifier.

onnx and onnxruntime come from the optional `ml` extra, so they are imported lazily:
the service starts without them and the model routes say how to enable serving.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Any

ENABLE_HINT = (
    "Model serving needs ONNX Runtime: install the `ml` extra "
    "(pip install 'users-service[ml]', or build the image with --build-arg WITH_ML=true) "
    "and leave ML_ENABLED=true."
)
# Pickle streams of protocol 2+ start with PROTO (0x80) and the protocol number; such files
# run code when loaded, so they are named and refused rather than reported as "corrupt".
_PICKLE_PREFIXES = tuple(bytes([0x80, protocol]) for protocol in range(2, 6))


def runtime_missing(modules: tuple[str, ...] = ("onnxruntime", "onnx", "numpy")) -> str | None:
    """Why serving cannot work in this process (the missing module), or None when it can."""
    for module in modules:
        if importlib.util.find_spec(module) is None:
            return f"`{module}` is not installed. {ENABLE_HINT}"
    return None


class NotServable(ValueError):
    """The bytes are not an ONNX classifier with one float matrix input."""


@dataclass(frozen=True)
class GraphInfo:
    """What serving needs to know about a model, read from its graph."""

    input_name: str
    n_features: int
    probability_output: str
    n_classes: int
    class_labels: list[str] | None


def create_session(data: bytes) -> Any:
    """An ONNX Runtime CPU session; one intra-op thread, as the admission gate bounds
    how many run at once, so a worker's CPU use stays `INFERENCE_CONCURRENCY` cores."""
    ort = importlib.import_module("onnxruntime")
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])


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


def inspect_onnx(data: bytes) -> GraphInfo:
    """Parse, check and load `data`, then run one row through it; raise `NotServable`."""
    if data.startswith(_PICKLE_PREFIXES):
        raise NotServable("This is a Python pickle, not an ONNX file; pickles are never loaded.")
    onnx = importlib.import_module("onnx")
    numpy = importlib.import_module("numpy")
    try:
        model = onnx.load_model_from_string(data)
        onnx.checker.check_model(model)
        session = create_session(data)
    except Exception as exc:  # the parsers raise many unrelated types for bad bytes
        raise NotServable(f"The file is not a valid ONNX model ({type(exc).__name__}).") from None
    inputs = session.get_inputs()
    if len(inputs) != 1 or inputs[0].type != "tensor(float)" or len(inputs[0].shape) != 2:
        raise NotServable("The model must have exactly one float input of shape [rows, features].")
    n_features = inputs[0].shape[1]
    if not isinstance(n_features, int) or n_features < 1:
        raise NotServable("The model's input must declare a fixed number of features.")
    probability_output = _probability_output(session)
    try:
        (probabilities,) = session.run(
            [probability_output], {inputs[0].name: numpy.zeros((1, n_features), "float32")}
        )
    except Exception as exc:  # a graph that loads but cannot run is as unusable
        raise NotServable(f"The model failed on a test row ({type(exc).__name__}).") from None
    return GraphInfo(
        input_name=str(inputs[0].name),
        n_features=n_features,
        probability_output=probability_output,
        n_classes=int(probabilities.shape[1]),
        class_labels=_class_labels(model),
    )


def predict_probabilities(
    session: Any, input_name: str, output: str, matrix: list[list[float]]
) -> list[list[float]]:
    """Class probabilities of each row (runs in a worker thread)."""
    numpy = importlib.import_module("numpy")
    (probabilities,) = session.run([output], {input_name: numpy.asarray(matrix, "float32")})
    rows: list[list[float]] = probabilities.astype("float64").tolist()
    return rows
