"""Hostile and extreme ONNX graphs, built with the onnx helper API (no files shipped).

Each is a valid ONNX model with one float input [rows, 1] and a float [rows, 2]
probability output, so only what it does with the values makes it hostile.
"""

from __future__ import annotations

import onnx
from onnx import TensorProto, helper

IN = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 1])
OUT = helper.make_tensor_value_info("p", TensorProto.FLOAT, [None, 2])


def _model(nodes: list[onnx.NodeProto], initializers: list[onnx.TensorProto]) -> bytes:
    graph = helper.make_graph(nodes, "hostile", [IN], [OUT], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString()


def _int64(name: str, values: list[int]) -> onnx.TensorProto:
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], values)


def _to_probabilities(scalar: str) -> list[onnx.NodeProto]:
    """p = softmax([X * s, X * s]) so the hostile part's result is used."""
    return [
        helper.make_node("Mul", ["X", scalar], ["xs"]),
        helper.make_node("Concat", ["xs", "xs"], ["z"], axis=1),
        helper.make_node("Softmax", ["z"], ["p"]),
    ]


def _sum_of_ones_of_shape(shape: str) -> list[onnx.NodeProto]:
    """A float tensor of ones shaped by `shape`, summed and made into probabilities."""
    ones = helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])
    return [
        helper.make_node("ConstantOfShape", [shape], ["big"], value=ones),
        helper.make_node("ReduceSum", ["big"], ["s"], keepdims=0),
        *_to_probabilities("s"),
    ]


def constant_of_shape_from_input(width: int = 262_144) -> bytes:
    """ConstantOfShape to [max(X), width]: the 519-byte model that took workers to 1.8 GB."""
    nodes = [
        helper.make_node("ReduceMax", ["X"], ["m"], keepdims=0),
        helper.make_node("Cast", ["m"], ["mi"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["mi", "one"], ["m1"]),
        helper.make_node("Concat", ["m1", "width"], ["shape"], axis=0),
        *_sum_of_ones_of_shape("shape"),
    ]
    return _model(nodes, [_int64("one", [1]), _int64("width", [width])])


def expand_from_input() -> bytes:
    """Expand X to a shape read from X itself."""
    nodes = [
        helper.make_node("Abs", ["X"], ["a"]),
        helper.make_node("ReduceMax", ["a"], ["m"], keepdims=0),
        helper.make_node("Cast", ["m"], ["mi"], to=TensorProto.INT64),
        helper.make_node("Reshape", ["mi", "one"], ["m1"]),
        helper.make_node("Concat", ["one", "m1"], ["shape"], axis=0),
        helper.make_node("Expand", ["X", "shape"], ["big"]),
        helper.make_node("ReduceSum", ["big"], ["s"], keepdims=0),
        *_to_probabilities("s"),
    ]
    return _model(nodes, [_int64("one", [1])])


def endless_loop(trips: int = 10**15) -> bytes:
    """A Loop of `trips` iterations adding 1: it cannot finish, only be stopped."""
    body = helper.make_graph(
        [
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
            helper.make_node("Add", ["acc_in", "one_f"], ["acc_out"]),
        ],
        "body",
        [
            helper.make_tensor_value_info("i", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
            helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [None, 1]),
        ],
        [
            helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
            helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [None, 1]),
        ],
        [helper.make_tensor("one_f", TensorProto.FLOAT, [], [1.0])],
    )
    nodes = [
        helper.make_node("Loop", ["trips", "true", "X"], ["acc"], body=body),
        helper.make_node("Concat", ["acc", "acc"], ["z"], axis=1),
        helper.make_node("Softmax", ["z"], ["p"]),
    ]
    initializers = [
        helper.make_tensor("trips", TensorProto.INT64, [], [trips]),
        helper.make_tensor("true", TensorProto.BOOL, [], [True]),
    ]
    return _model(nodes, initializers)


def scan_over_input() -> bytes:
    """A Scan over the rows of X (iterations decided by the request)."""
    body = helper.make_graph(
        [helper.make_node("Add", ["state_in", "row"], ["state_out"])],
        "body",
        [
            helper.make_tensor_value_info("state_in", TensorProto.FLOAT, [1]),
            helper.make_tensor_value_info("row", TensorProto.FLOAT, [1]),
        ],
        [helper.make_tensor_value_info("state_out", TensorProto.FLOAT, [1])],
    )
    nodes = [
        helper.make_node("Scan", ["zero", "X"], ["total"], body=body, num_scan_inputs=1),
        helper.make_node("ReduceSum", ["total"], ["s"], keepdims=0),
        *_to_probabilities("s"),
    ]
    return _model(nodes, [helper.make_tensor("zero", TensorProto.FLOAT, [1], [0.0])])


def wide_rows(width: int) -> bytes:
    """Expand each row to `width` floats (a constant shape): memory grows with the rows."""
    nodes = [
        helper.make_node("Expand", ["X", "shape"], ["wide"]),
        helper.make_node("ReduceSum", ["wide", "axis"], ["s"], keepdims=1),
        helper.make_node("Concat", ["s", "s"], ["z"], axis=1),
        helper.make_node("Softmax", ["z"], ["p"]),
    ]
    return _model(nodes, [_int64("shape", [1, width]), _int64("axis", [1])])


def huge_constant(elements: int) -> bytes:
    """A ConstantOfShape of a constant, enormous shape: too big on any row."""
    nodes = [
        *_sum_of_ones_of_shape("shape"),
    ]
    return _model(nodes, [_int64("shape", [elements])])


def declaring_features(count: int) -> bytes:
    """A linear model over `count` features (weights from ConstantOfShape of a constant)."""
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, count])
    nodes = [
        helper.make_node("ReduceSum", ["X", "axis"], ["s"], keepdims=1),
        helper.make_node("Concat", ["s", "s"], ["z"], axis=1),
        helper.make_node("Softmax", ["z"], ["p"]),
    ]
    graph = helper.make_graph(nodes, "wide", [x], [OUT], [_int64("axis", [1])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def overflowing(scale: float = 1e38) -> bytes:
    """p = softmax([X * scale, -X * scale]): finite inputs above ~3.4 give infinities."""
    nodes = [
        helper.make_node("Mul", ["X", "scale"], ["a"]),
        helper.make_node("Neg", ["a"], ["b"]),
        helper.make_node("Concat", ["a", "b"], ["z"], axis=1),
        helper.make_node("Softmax", ["z"], ["p"]),
    ]
    return _model(nodes, [helper.make_tensor("scale", TensorProto.FLOAT, [], [scale])])


def indexing_by_value() -> bytes:
    """p = softmax of a table row picked by int(X): X outside 0..1 has no row to pick."""
    nodes = [
        helper.make_node("Cast", ["X"], ["i"], to=TensorProto.INT64),
        helper.make_node("Squeeze", ["i", "axis"], ["index"]),
        helper.make_node("Gather", ["table", "index"], ["z"], axis=0),
        helper.make_node("Softmax", ["z"], ["p"]),
    ]
    table = helper.make_tensor("table", TensorProto.FLOAT, [2, 2], [1.0, 0.0, 0.0, 1.0])
    return _model(nodes, [table, _int64("axis", [1])])
