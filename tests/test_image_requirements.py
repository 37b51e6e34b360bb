"""The image installs `requirements.txt` (or `requirements-ml.txt`) and nothing else, so
every library the service imports must be pinned there, not only in the dev lock."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Imported only by the model routes, which answer 503 in an image built without ML.
ML_ONLY = {"onnxruntime", "numpy", "onnx"}
# Imported only by `python -m service train`, a development command (the `train` extra).
TRAIN_ONLY = {"skl2onnx", "scikit-learn"}


def _pinned(path: Path) -> set[str]:
    names = re.findall(r"^([A-Za-z0-9_.-]+)==", path.read_text(), flags=re.MULTILINE)
    return {_normal(name) for name in names}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_distributions() -> dict[str, set[str]]:
    """Distribution -> the service modules importing it (stdlib and the service excluded)."""
    by_module = packages_distributions()
    used: dict[str, set[str]] = {}
    for source in (ROOT / "service").rglob("*.py"):
        tree = ast.parse(source.read_text(), filename=str(source))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                tops = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                tops = [node.module.split(".")[0]]
            else:
                continue
            for top in tops:
                if top == "service" or top in sys.stdlib_module_names:
                    continue
                for dist in by_module.get(top, [top]):
                    used.setdefault(_normal(dist), set()).add(str(source.relative_to(ROOT)))
    return used


def test_every_library_the_service_imports_is_pinned_for_the_image() -> None:
    base = _pinned(ROOT / "requirements.txt")
    pins = {
        **dict.fromkeys(ML_ONLY, _pinned(ROOT / "requirements-ml.txt")),
        **dict.fromkeys(TRAIN_ONLY, _pinned(ROOT / "requirements-dev.txt")),
    }
    used = _imported_distributions()
    assert {"fastapi", "pymongo"} <= used.keys()  # the scan sees the service's imports
    missing = {
        dist: sorted(modules) for dist, modules in used.items() if dist not in pins.get(dist, base)
    }
    assert not missing, f"imported by the service but not pinned for the image: {missing}"
