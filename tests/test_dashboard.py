"""The Grafana dashboard only queries metrics the service really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from tests.avatars import images
from tests.conftest import AppFactory
from tests.factories import user_session

PROMETHEUS_SYNTHETIC = {"up"}
KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "e",
}


def metric_names(expr: str) -> set[str]:
    """Metric names in a PromQL expression: identifiers that are not functions, keywords,
    label names (inside `{}` or a `by (...)` clause) or durations."""
    expr = re.sub(r"\{[^}]*\}", " ", expr)  # label matchers
    expr = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", " ", expr)  # grouping labels
    expr = re.sub(r"\[[^\]]*\]", " ", expr)  # range durations
    expr = re.sub(r"(?<![\w.])\d+(\.\d+)?([eE][-+]?\d+)?", " ", expr)  # numbers, 1e-9 included
    names = set()
    for match in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr):
        following = expr[match.end() :].lstrip()[:1]
        if following != "(" and match.group() not in KEYWORDS:
            names.add(match.group())
    return names


# The series a declared metric of each type exposes once it has a sample.
_SERIES_OF_TYPE = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_count", "_sum"),
    "gauge": ("",),
}


def _exported_names(scrape: str) -> set[str]:
    names = set()
    for line in scrape.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
        elif line.startswith("# TYPE "):
            # Declared but without a sample yet (labels known only at run time, such as a
            # model's name and version); the live Prometheus test sees them with data.
            _, _, name, kind = line.split(maxsplit=3)
            names.add(name)
            names.update(name + suffix for suffix in _SERIES_OF_TYPE.get(kind, ()))
    return names


async def test_every_panel_queries_an_exported_metric(
    client: httpx.AsyncClient, repo_root: Path
) -> None:
    dashboard = json.loads((repo_root / "docker/grafana/dashboards/users-service.json").read_text())
    # Exercise the service so every labelled series exists at least once.
    user, auth = await user_session(client)
    await client.get(f"/users/{user['id']}", headers=auth)
    await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("a.png", images.png(), "image/png")},
        headers=auth,
    )
    await client.put(
        f"/users/{user['id']}/avatar",
        files={"file": ("a.png", b"nope" * 4, "image/png")},
        headers=auth,
    )
    await client.patch(f"/users/{user['id']}", json={"name": "x"}, headers=auth)
    await client.delete(f"/users/{user['id']}", headers=auth)
    exported = _exported_names((await client.get("/metrics")).text)

    titles = set()
    for panel in dashboard["panels"]:
        titles.add(panel["title"])
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            names = metric_names(target["expr"]) - PROMETHEUS_SYNTHETIC
            assert names, f"{panel['title']}: no metric in {target['expr']}"
            missing = names - exported
            assert not missing, (
                f"{panel['title']} queries {missing}, which /metrics does not export"
            )
    assert {
        "Request rate by route",
        "Error rate (5xx share)",
        "Readiness (MongoDB reachable)",
    } <= titles
    assert any("p99" in title for title in titles)


def test_metric_name_extraction() -> None:
    expr = (
        "histogram_quantile(0.99, sum by (le, handler) "
        '(rate(http_request_duration_seconds_bucket{status=~"5.."}[5m])))'
    )
    assert metric_names(expr) == {"http_request_duration_seconds_bucket"}
    assert metric_names("min(database_up) * 60 / clamp_min(sum(rate(x_total[1m])), 1e-9)") == {
        "database_up",
        "x_total",
    }


def test_panels_split_latency_by_method_and_show_zero_when_healthy(repo_root: Path) -> None:
    dashboard = json.loads((repo_root / "docker/grafana/dashboards/users-service.json").read_text())
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            expr = target["expr"]
            if "histogram_quantile" in expr:
                # POST /users hashes a password: one line per method keeps it off the reads.
                assert re.search(r"by \(le, handler, method\)", expr), panel["title"]
                assert "{{method}}" in target["legendFormat"], panel["title"]
            if "/" in expr and "clamp_min" in expr:
                # A ratio over series that may not exist yet reads 0, not "No data".
                assert expr.endswith("or vector(0)"), f"{panel['title']}: {expr}"


async def test_known_label_values_are_exported_at_zero_from_the_start(app_with: AppFactory) -> None:
    from service.avatars.errors import InvalidImage, UnsupportedImage
    from service.avatars.images import ACCEPTED_FORMATS
    from service.observability.counters import (
        AVATAR_FORMATS,
        AVATAR_REJECTION_REASONS,
        LATENCY_BUCKETS_S,
    )

    # The label values metrics.py pre-initialises are the ones the avatar code emits.
    assert set(AVATAR_FORMATS) == {f.lower() for f in ACCEPTED_FORMATS}
    assert set(AVATAR_REJECTION_REASONS) == {UnsupportedImage.reason, InvalidImage.reason}
    async with app_with() as fresh:  # a new app: nothing uploaded, nothing refused yet
        scrape = (await fresh.get("/metrics")).text
    for fmt in AVATAR_FORMATS:
        assert re.search(rf'^avatar_uploads_total\{{format="{fmt}"\}} 0\.0$', scrape, re.M), fmt
    for reason in AVATAR_REJECTION_REASONS:
        pattern = rf'^avatar_rejections_total\{{reason="{reason}"\}} 0\.0$'
        assert re.search(pattern, scrape, re.M), reason
    for gate in ("hashing", "decoding"):
        assert f'admission_rejections_total{{gate="{gate}"}} 0.0' in scrape
    # 1-5 ms, where most routes answer, is resolved; the SLO threshold is a bucket.
    assert sum(1 for b in LATENCY_BUCKETS_S if b <= 0.005) >= 4
    assert 0.25 in LATENCY_BUCKETS_S
