"""Static checks of an uploaded graph: what would let a request's values size its work.

A classifier's memory and time should follow from the number of rows only. A graph that
turns input *values* into a shape (`ConstantOfShape` of `max(X)`, `Expand`, `Tile`,
`Range` …) or into an iteration count (`Loop`, `Scan`) lets a 519-byte file allocate
gigabytes or spin forever for whoever predicts with it. Those are refused on upload,
with the node that does it named; the capped arena and the run timeout catch what a
static check cannot see.
"""

from __future__ import annotations

from typing import Any

# Operators whose listed inputs decide the size of their output. Reshape, Slice, Gather
# and friends are absent: their output is never larger than a tensor that already exists.
SHAPE_INPUTS: dict[str, tuple[int, ...]] = {
    "ConstantOfShape": (0,),
    "Expand": (1,),
    "Tile": (1,),
    "Range": (0, 1, 2),
    "Resize": (2, 3),
    "Upsample": (1,),
    "Pad": (1,),
    "OneHot": (1,),
    "MaxUnpool": (2,),
    "CenterCropPad": (1,),
    "Col2Im": (1, 2),
    "DFT": (1,),
    "STFT": (2, 3),
    "HannWindow": (0,),
    "HammingWindow": (0,),
    "BlackmanWindow": (0,),
    "MelWeightMatrix": (0, 1, 2),
}
# The standard operator sets; other domains (ORT's contrib ops, custom ones) are not served.
STANDARD_DOMAINS = frozenset({"", "ai.onnx", "ai.onnx.ml"})


def _graph_attribute(node: Any) -> bool:
    # AttributeProto.GRAPH = 5, GRAPHS = 10: a node with a body is control flow.
    return any(attribute.type in (5, 10) for attribute in node.attribute)


def value_dependent_nodes(model: Any) -> str | None:
    """Why the graph is refused (naming the node), or None when nothing depends on values."""
    if len(model.functions) > 0:
        return "The model defines local functions; only plain graphs are served."
    graph = model.graph
    initializers = {tensor.name for tensor in graph.initializer}
    from_input = {value.name for value in graph.input if value.name not in initializers}
    for index, node in enumerate(graph.node):
        name = f"{node.op_type} node {node.name or index!r}"
        if node.domain not in STANDARD_DOMAINS:
            return f"The {name} is from the operator set {node.domain!r}; it is not served."
        if _graph_attribute(node):
            return f"The {name} is control flow (a loop or a branch); it is not served."
        fed = [i for i in SHAPE_INPUTS.get(node.op_type, ()) if i < len(node.input)]
        if any(node.input[i] in from_input for i in fed):
            return (
                f"The {name} takes its output size from the input values; a prediction "
                "could make it allocate without bound."
            )
        if any(tensor in from_input for tensor in node.input):
            from_input.update(node.output)
    return None


def declared_features(model: Any) -> int | None:
    """The fixed feature count of the graph's single non-initializer input, if declared."""
    initializers = {tensor.name for tensor in model.graph.initializer}
    inputs = [value for value in model.graph.input if value.name not in initializers]
    if len(inputs) != 1:
        return None
    dims = inputs[0].type.tensor_type.shape.dim
    if len(dims) != 2 or not dims[1].HasField("dim_value"):
        return None
    return int(dims[1].dim_value)
