{{/* Name of one service's objects: <release>-<service>. */}}
{{- define "snapex.name" -}}
{{- printf "%s-%s" .root.Release.Name .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "snapex.selector" -}}
app.kubernetes.io/name: snapex
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .service }}
{{- end -}}

{{- define "snapex.labels" -}}
{{ include "snapex.selector" . }}
app.kubernetes.io/part-of: snapex
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/*
One service's snapex.yaml: region, nats and logging, the sections it reads, and the accounts; the
accounts' API keys and access keys only where accountKeys is set; where sourceNamesOnly is set, the
sources without their URLs (a placeholder the schema accepts stands in) or snapshot schedules; its
operations listener on all interfaces at observability.port, so probes and Prometheus reach it.
*/}}
{{- define "snapex.config" -}}
{{- $config := .root.Values.config -}}
{{- $out := pick $config "region" "nats" "logging" -}}
{{- range .values.sections -}}
{{- if hasKey $config . -}}
{{- $_ := set $out . (get $config .) -}}
{{- end -}}
{{- end -}}
{{- if and .values.sourceNamesOnly (hasKey $out "sources") -}}
{{- $names := list -}}
{{- range $out.sources -}}
{{- $names = append $names (set (omit . "url" "automatedSnapshots") "url" "postgresql://not-connected-to.invalid/") -}}
{{- end -}}
{{- $_ := set $out "sources" $names -}}
{{- end -}}
{{- $accounts := list -}}
{{- range $config.accounts -}}
{{- if $.values.accountKeys -}}
{{- $accounts = append $accounts . -}}
{{- else -}}
{{- $accounts = append $accounts (omit . "apiKeys" "accessKeys") -}}
{{- end -}}
{{- end -}}
{{- $_ := set $out "accounts" $accounts -}}
{{- $observability := deepCopy (default (dict) $config.observability) -}}
{{- $_ := set $observability "host" "0.0.0.0" -}}
{{- $_ := set $observability "ports" (dict .service .root.Values.observability.port) -}}
{{- $_ := set $out "observability" $observability -}}
{{- toYaml $out -}}
{{- end -}}

{{/* The secret keys one service's configuration names (file:/etc/snapex/secrets/<key>, or a path there such as nats.auth.credsFile), once each. */}}
{{- define "snapex.secretKeys" -}}
{{- $keys := list -}}
{{- range regexFindAll "/etc/snapex/secrets/[A-Za-z0-9._-]+" (include "snapex.config" .) -1 -}}
{{- $keys = append $keys (trimPrefix "/etc/snapex/secrets/" .) -}}
{{- end -}}
{{- $keys | uniq | sortAlpha | join "," -}}
{{- end -}}
