{{/* Chart name, truncated to the 63 characters a DNS label allows. */}}
{{- define "users-service.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "users-service.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "users-service.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "users-service.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "users-service.selectorLabels" -}}
app.kubernetes.io/name: {{ include "users-service.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "users-service.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "users-service.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "users-service.secretName" -}}
{{- default (include "users-service.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/* The chart's Redis: labels of its own, so no selector of the API ever matches it. */}}
{{- define "users-service.redisSelectorLabels" -}}
app.kubernetes.io/name: {{ include "users-service.name" . }}-redis
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: ratelimit-store
{{- end }}

{{/*
Spread over nodes and zones from .Values.topologySpread, with this release's pods as the
selector; raw .Values.topologySpreadConstraints replace it when set. matchLabelKeys keeps
each rollout's new ReplicaSet spread on its own.
*/}}
{{- define "users-service.topologySpreadConstraints" -}}
{{- $constraints := .Values.topologySpreadConstraints }}
{{- if not $constraints }}
{{- $spread := .Values.topologySpread }}
{{- $selector := dict "matchLabels" (include "users-service.selectorLabels" . | fromYaml) }}
{{- range $key, $topology := dict "nodes" "kubernetes.io/hostname" "zones" "topology.kubernetes.io/zone" }}
{{- with index $spread $key }}
{{- $constraints = append $constraints (dict "maxSkew" (int $spread.maxSkew) "topologyKey" $topology "whenUnsatisfiable" . "labelSelector" $selector "matchLabelKeys" (list "pod-template-hash")) }}
{{- end }}
{{- end }}
{{- end }}
{{- with $constraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
