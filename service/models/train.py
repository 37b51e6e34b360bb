"""Train the bundled iris classifier and convert it to ONNX (needs the `train` extra).

Iris ships inside scikit-learn, so nothing is downloaded. The model is a scaled logistic
regression with fixed seeds: the same library versions give the same ONNX bytes, which is
what lets `python -m service train` skip a model that is already registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IRIS_FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")
# Allowed ranges are generous bounds around what a real flower measures (cm).
IRIS_RANGE = (0.0, 30.0)


@dataclass(frozen=True)
class TrainedModel:
    """An ONNX classifier with everything needed to register it."""

    onnx: bytes
    features: list[dict[str, Any]]
    labels: list[str]
    metrics: dict[str, float]


def train_iris(seed: int = 0) -> TrainedModel:
    """Fit on 75 % of iris, measure accuracy on the held-out 25 %, convert with skl2onnx."""
    from skl2onnx import to_onnx
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    data = load_iris()
    x = data.data.astype("float32")
    x_train, x_test, y_train, y_test = train_test_split(
        x, data.target, test_size=0.25, random_state=seed, stratify=data.target
    )
    pipeline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    pipeline.fit(x_train, y_train)
    accuracy = float(accuracy_score(y_test, pipeline.predict(x_test)))
    # zipmap=False: probabilities come out as one float tensor, not a list of dicts.
    onnx_model = to_onnx(
        pipeline, x_train[:1], options={"zipmap": False}, target_opset={"": 17, "ai.onnx.ml": 3}
    )
    low, high = IRIS_RANGE
    return TrainedModel(
        onnx=onnx_model.SerializeToString(),
        features=[{"name": n, "type": "float", "min": low, "max": high} for n in IRIS_FEATURES],
        labels=[str(name) for name in data.target_names],
        metrics={"accuracy": round(accuracy, 4), "test_rows": float(len(y_test))},
    )
