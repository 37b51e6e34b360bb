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
hadolint --failure-threshold warning Dockerfile

section "Compose: docker compose config"
# .env.example leaves JWT_SECRET and SECOND_FACTOR_KEY unset on purpose (Compose refuses to
# start without them); the check supplies throwaway values, as an operator's .env would.
export JWT_SECRET="compose-config-check-only-not-a-real-secret-0123456789"
export SECOND_FACTOR_KEY="Y29tcG9zZS1jb25maWctY2hlY2stb25seS0wMTIzNDU="
docker-compose --env-file .env.example -f docker-compose.yml config -q
docker-compose --env-file .env.example -f docker-compose.yml -f docker/docker-compose.dev.yml config -q
# The optional local S3 store (profile "s3") with the API configured for it.
AVATAR_STORAGE=s3 docker-compose --env-file .env.example -f docker-compose.yml --profile s3 config -q
unset JWT_SECRET SECOND_FACTOR_KEY

section "Prometheus: config, alert rules, rule unit tests"
# promtool (and the prometheus binary that tests/test_dashboard_prometheus.py runs) come
# from Debian's prometheus package.
if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  as_root=()
  [[ "$(id -u)" -eq 0 ]] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
promtool --version | head -1
promtool check config docker/prometheus/prometheus.yml
promtool check rules docker/prometheus/alerts.yml
(cd docker/prometheus && promtool test rules alerts.test.yml)
# The chart ships the same rules as a PrometheusRule; its copy may not drift.
cmp docker/prometheus/alerts.yml deploy/helm/users-service/files/alerts.yml

section "shell scripts: shellcheck"
shellcheck scripts/*.sh .ci/run

section "Helm chart: lint, template, schema validation"
rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
helm lint --strict deploy/helm/users-service -f deploy/helm/ci-values.yaml
helm template ci deploy/helm/users-service --namespace users-service -f deploy/helm/ci-values.yaml >"$rendered/chart.yaml"
# ServiceMonitor and PrometheusRule are CRDs without a bundled schema; kubernetes-validate
# warns and moves on. The rules inside the PrometheusRule are checked by promtool instead.
kubernetes-validate --strict "$rendered/chart.yaml"
helm template ci deploy/helm/users-service --namespace users-service -f deploy/helm/ci-values.yaml \
  --show-only templates/prometheusrule.yaml \
  | "$TOOLS/bin/python" -c 'import sys, yaml; print(yaml.safe_dump(yaml.safe_load(sys.stdin)["spec"]))' \
  >"$rendered/rules.yaml"
promtool check rules "$rendered/rules.yaml"
# CPU request and HPA target against the benchmark's CPU per request (see values.yaml).
"$TOOLS/bin/python" scripts/hpa_headroom.py "$rendered/chart.yaml"
# Memory limit against the worst-case formula (README, "Memory budget"), without and with
# model serving, and a limit below the formula must fail the check.
"$TOOLS/bin/python" scripts/memory_budget.py "$rendered/chart.yaml"
helm template ci deploy/helm/users-service -f deploy/helm/ci-values.yaml --set models.enabled=true \
  >"$rendered/models.yaml"
"$TOOLS/bin/python" scripts/memory_budget.py "$rendered/models.yaml"
helm template ci deploy/helm/users-service -f deploy/helm/ci-values.yaml --set models.enabled=true \
  --set models.memoryLimit=1Gi >"$rendered/short.yaml"
if "$TOOLS/bin/python" scripts/memory_budget.py "$rendered/short.yaml" >/dev/null; then
  echo "the memory check passed a limit below the formula" >&2
  exit 1
fi
refuse() {  # the chart must refuse these values
  local why="$1"; shift
  if helm template ci deploy/helm/users-service -f deploy/helm/ci-values.yaml "$@" >/dev/null 2>&1; then
    echo "the chart rendered $why" >&2
    exit 1
  fi
}
if helm template ci deploy/helm/users-service >/dev/null 2>&1; then
  echo "the chart rendered without a database URL or JWT secret" >&2
  exit 1
fi
refuse "S3 avatar storage without a bucket" --set avatarStorage.s3.bucket=
refuse "a PDB that blocks every eviction" --set podDisruptionBudget.minAvailable=2
refuse "an HPA whose minimum exceeds its maximum" --set autoscaling.minReplicas=11
refuse "avatar storage set through config" --set config.AVATAR_STORAGE=s3
refuse "production without an SMTP host (the service would not start)" --set smtp.host=

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
checkov --quiet --compact --skip-download --framework dockerfile -f Dockerfile
checkov --quiet --compact --skip-download --framework kubernetes -f "$rendered/chart.yaml"
checkov --quiet --compact --skip-download --framework github_actions -d .github/workflows
checkov --quiet --compact --skip-download --framework terraform -d deploy/terraform

section "all deployment artifacts valid"
