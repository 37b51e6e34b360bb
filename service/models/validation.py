"""Prediction rows checked against a model's stored input schema, then put in column order."""

from __future__ import annotations

import hashlib
import math
from typing import Any

import orjson

from service.core.errors import FieldError
from service.models.documents import FeatureSpec
from service.models.errors import InvalidRows

MAX_REPORTED_ERRORS = 50
FLOAT32_MAX = 3.4028234663852886e38  # numpy.finfo("float32").max, without importing numpy


def _error(row: int, feature: str | None, msg: str, kind: str) -> FieldError:
    loc: list[str | int] = ["body", "rows", row]
    if feature is not None:
        loc.append(feature)
    return FieldError(loc=loc, msg=msg, type=kind)


def _as_float(value: int | float) -> float | None:
    """The value as a float, or None when no float holds it (a 400-digit integer)."""
    try:
        return float(value)
    except OverflowError:
        return None


def _value_errors(value: object, spec: FeatureSpec) -> str | None:
    # bool is an int in Python but never a measurement: refuse it for both types.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number ({spec.type})"
    number = _as_float(value)
    if number is None or not math.isfinite(number):
        return "must be a finite number"
    # Models compute in float32: a larger value would reach them as infinity.
    if abs(number) > FLOAT32_MAX:
        return f"must be within the model's number range (±{FLOAT32_MAX:g})"
    if spec.type == "int" and not number.is_integer():
        return "must be an integer"
    if spec.min is not None and number < spec.min:
        return f"must be >= {spec.min:g}"
    if spec.max is not None and number > spec.max:
        return f"must be <= {spec.max:g}"
    return None


def validate_rows(rows: list[dict[str, Any]], features: list[FeatureSpec]) -> list[list[float]]:
    """The rows as a matrix in feature order, or `InvalidRows` listing every problem found.

    Missing and unknown features, wrong types, NaN/Infinity, numbers beyond float32 (the
    models' type) and out-of-range values are each reported with their location
    (`["body", "rows", i, feature]`).
    """
    names = {spec.name for spec in features}
    errors: list[FieldError] = []
    matrix: list[list[float]] = []
    for index, row in enumerate(rows):
        errors.extend(
            _error(index, extra, "unknown feature", "extra_forbidden")
            for extra in sorted(set(row) - names)
        )
        values: list[float] = []
        for spec in features:
            if spec.name not in row:
                errors.append(_error(index, spec.name, "feature is required", "missing"))
                continue
            problem = _value_errors(row[spec.name], spec)
            if problem is not None:
                errors.append(_error(index, spec.name, problem, "invalid_value"))
                continue
            values.append(float(row[spec.name]))
        matrix.append(values)
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if errors:
        raise InvalidRows(errors[:MAX_REPORTED_ERRORS])
    return matrix


def matrix_digest(matrix: list[list[float]]) -> str:
    """A digest of the validated rows: key order and `1` vs `1.0` do not change it."""
    return hashlib.sha256(orjson.dumps(matrix)).hexdigest()
