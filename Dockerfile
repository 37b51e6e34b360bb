# syntax=docker/dockerfile:1
# users-service image (`docker build -t users-service .` at the repository root; the
# container listens on $PORT, default 8000): dependencies are installed from hash-pinned requirements into a
# virtualenv in a builder stage; the runtime stage copies only that venv and the code.

# checkov:skip=CKV_DOCKER_7: the base image is pinned by the PYTHON_IMAGE build argument below
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /build
RUN python -m venv /opt/venv
# WITH_ML=true adds ONNX Runtime (the `ml` extra, requirements-ml.txt) for the /models
# routes; without it they answer 503 and the image stays ~200 MB smaller.
ARG WITH_ML=false
COPY requirements.txt requirements-ml.txt ./
# Every dependency ships wheels for linux/amd64 and arm64, so no compiler is needed.
RUN if [ "$WITH_ML" = "true" ]; then requirements="requirements-ml.txt"; \
    else requirements="requirements.txt"; fi \
    && /opt/venv/bin/pip install --require-hashes --only-binary=:all: -r "$requirements" \
    && /opt/venv/bin/pip uninstall --yes pip setuptools

FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="users-service" \
      org.opencontainers.image.description="REST service that manages users (FastAPI, MongoDB)" \
      org.opencontainers.image.source="https://github.com/users-service/users-service" \
      org.opencontainers.image.licenses="MIT"
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    WEB_CONCURRENCY=2 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    LOG_FORMAT=json
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --chown=root:root service ./service
COPY --chown=root:root seed_data ./seed_data
# The service's own bytecode, written once here: with PYTHONDONTWRITEBYTECODE and code the
# app user cannot write, every worker would otherwise compile ~190 modules at each start
# (measured: 0.13 s of CPU, 14 % of a worker's start). pip compiled the venv already.
RUN python -m compileall -q service
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health/live', timeout=2)"]
# `serve` creates and empties PROMETHEUS_MULTIPROC_DIR, then runs uvicorn (uvloop +
# httptools) with WEB_CONCURRENCY worker processes on $PORT (platforms such as Cloud Run
# and Heroku set it). The shell only expands PORT and then becomes the server (exec), so
# signals reach it; arguments given to `docker run` are appended to `serve`.
ENTRYPOINT ["/bin/sh", "-c", "exec python -m service serve --host 0.0.0.0 --port \"${PORT:-8000}\" \"$@\"", "serve"]
