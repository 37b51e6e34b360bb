#!/usr/bin/env bash
# Build the image, bring the Compose stack up, wait until the API is ready, then prove it
# works end to end: register a user and read it back with a token.
#
#   scripts/deploy.sh            # uses .env (copy .env.example and set the secrets)
#   API_URL=http://host:8000 READY_TIMEOUT_S=180 scripts/deploy.sh
set -euo pipefail

API_URL="${API_URL:-http://127.0.0.1:${API_PORT:-8000}}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-120}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fail() {
  echo "deploy: $*" >&2
  exit 1
}

step() {
  echo "==> $*"
}

require() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed; $2"
}

require docker "install Docker Engine (https://docs.docker.com/engine/install/)"
docker compose version >/dev/null 2>&1 || fail "the Docker Compose plugin is missing"
docker info >/dev/null 2>&1 || fail "the Docker daemon is not reachable; is it running?"
require curl "install curl"
require python3 "install Python 3 (used to read JSON responses)"
[[ -f "$ROOT/.env" ]] || fail ".env not found: copy .env.example to .env and set its secrets"

cd "$ROOT"
step "building the image"
docker compose build api || fail "image build failed"

step "starting the stack"
docker compose up -d || fail "docker compose up failed"

step "waiting up to ${READY_TIMEOUT_S}s for ${API_URL}/health/ready"
deadline=$((SECONDS + READY_TIMEOUT_S))
until curl -fsS "${API_URL}/health/ready" >/dev/null 2>&1; do
  if ((SECONDS >= deadline)); then
    docker compose ps >&2 || true
    docker compose logs --tail 50 api >&2 || true
    fail "the API did not become ready within ${READY_TIMEOUT_S}s"
  fi
  sleep 2
done
echo "ready: $(curl -fsS "${API_URL}/health")"

json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

step "smoke test: register a user, log in, read it back"
suffix="$(date +%s)$RANDOM"
username="deploy-check-${suffix}"
password="deploy-check-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
created="$(curl -fsS -X POST "${API_URL}/users" -H 'content-type: application/json' \
  -d "{\"username\":\"${username}\",\"email\":\"${username}@example.com\",\"password\":\"${password}\"}")" \
  || fail "POST /users failed"
user_id="$(json_field id <<<"$created")" || fail "unexpected create response: ${created}"
token="$(curl -fsS -X POST "${API_URL}/auth/token" \
  --data-urlencode "username=${username}" --data-urlencode "password=${password}" \
  | json_field access_token)" || fail "login failed"
fetched="$(curl -fsS "${API_URL}/users/${user_id}" -H "Authorization: Bearer ${token}")" \
  || fail "GET /users/${user_id} failed"
[[ "$(json_field username <<<"$fetched")" == "$username" ]] || fail "read back a different user: ${fetched}"
echo "created and fetched: ${fetched}"

step "cleaning up the smoke-test user"
curl -fsS -X DELETE "${API_URL}/users/${user_id}" -H "Authorization: Bearer ${token}" >/dev/null \
  || fail "DELETE /users/${user_id} failed"

echo "deployed: API ${API_URL}/docs · Grafana http://127.0.0.1:${GRAFANA_PORT:-3000} · Prometheus http://127.0.0.1:${PROMETHEUS_PORT:-9090}"
