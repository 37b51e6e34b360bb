#!/usr/bin/env bash
# Validate every deployment artifact offline: Dockerfile, Compose files, shell scripts,
# Helm chart, GitHub Actions workflows, Terraform, and checkov over all of them.
# Installs the validators it needs (pinned) into .tools/ and the Go cache; any finding fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

HELM_VERSION="v3.22.0"
ACTIONLINT_VERSION="v1.7.12"
TOOLS=".tools"
GOBIN_DIR="${USERS_SERVICE_CACHE:-$HOME/.cache/users-service}/go-bin"
export GOBIN="$GOBIN_DIR" GOFLAGS="-buildvcs=false"
mkdir -p "$GOBIN_DIR"

section() { echo; echo "== $*"; }

section "installing validators"
if [[ ! -x "$TOOLS/bin/checkov" ]]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
  "$TOOLS/bin/uv" pip install --quiet --python "$TOOLS/bin/python" --require-hashes -r requirements-ops.txt
fi
export PATH="$PWD/$TOOLS/bin:$GOBIN_DIR:$PATH"
[[ -x "$GOBIN_DIR/helm" ]] || go install "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}"
[[ -x "$GOBIN_DIR/actionlint" ]] || go install "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}"
(cd scripts/hclfmt && go build -o "$GOBIN_DIR/hclfmt" .)
echo "hadolint $(hadolint --version | awk '{print $NF}') · $(docker-compose version --short 2>/dev/null | sed 's/^/compose /') ·" \
  "shellcheck $(shellcheck --version | awk '/^version/ {print $2}') · helm $(helm version --short) ·" \
  "actionlint $(actionlint -version | head -1) · checkov $(checkov --version) ·" \
  "kubernetes-validate $("$TOOLS/bin/python" -c 'import importlib.metadata as m; print(m.version("kubernetes-validate"))')"

section "Dockerfile: hadolint"
hadolint --failure-threshold warning docker/Dockerfile

section "Compose: docker compose config"
# .env.example leaves JWT_SECRET unset on purpose (Compose refuses to start without one);
# the check supplies a throwaway value, as an operator's .env would.
export JWT_SECRET="compose-config-check-only-not-a-real-secret-0123456789"
docker-compose --env-file .env.example -f docker-compose.yml config -q
docker-compose --env-file .env.example -f docker-compose.yml -f docker/docker-compose.dev.yml config -q
unset JWT_SECRET
if command -v promtool >/dev/null 2>&1; then
  promtool check config docker/prometheus/prometheus.yml
else
  echo "promtool not installed: Prometheus config checked by the Compose and test steps only"
fi

section "shell scripts: shellcheck"
shellcheck scripts/*.sh .ci/run

section "Helm chart: lint, template, schema validation"
rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
helm lint --strict deploy/helm/users-service -f deploy/helm/ci-values.yaml
helm template ci deploy/helm/users-service --namespace users-service -f deploy/helm/ci-values.yaml >"$rendered/chart.yaml"
# ServiceMonitor is a CRD without a bundled schema; kubernetes-validate warns and moves on.
kubernetes-validate --strict "$rendered/chart.yaml"
if helm template ci deploy/helm/users-service >/dev/null 2>&1; then
  echo "the chart rendered without a database URL or JWT secret" >&2
  exit 1
fi

section "GitHub Actions: actionlint"
actionlint -shellcheck "$(command -v shellcheck)" .github/workflows/*.yml

section "Terraform: formatting and validation"
hclfmt -check deploy/terraform
if command -v terraform >/dev/null 2>&1; then
  terraform -chdir=deploy/terraform fmt -check -recursive
  if terraform -chdir=deploy/terraform init -backend=false -input=false >/dev/null 2>&1; then
    terraform -chdir=deploy/terraform validate
  else
    echo "terraform validate skipped: provider binaries could not be installed here"
  fi
else
  echo "terraform not installed: formatting checked with hclfmt (hclwrite, what terraform fmt uses); validate skipped"
fi

section "checkov"
checkov --quiet --compact --skip-download --framework dockerfile -f docker/Dockerfile
checkov --quiet --compact --skip-download --framework kubernetes -f "$rendered/chart.yaml"
checkov --quiet --compact --skip-download --framework github_actions -d .github/workflows
checkov --quiet --compact --skip-download --framework terraform -d deploy/terraform

section "all deployment artifacts valid"
