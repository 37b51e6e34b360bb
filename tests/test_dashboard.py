"""The Grafana dashboard only queries metrics the service really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx

from tests.avatars import images
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


def _exported_names(scrape: str) -> set[str]:
    names = set()
    for line in scrape.splitlines():
        if line and not line.startswith("#"):
            names.add(re.split(r"[{ ]", line, maxsplit=1)[0])
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
