{{/* The release's prefix for every object name. */}}
{{- define "ms.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "ms.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "name" "offers"). */}}
{{- define "ms.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "ms.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "ms.secretName" -}}
{{- .Values.secrets.existingSecret | default (printf "%s-secrets" (include "ms.fullname" .)) -}}
{{- end -}}

{{- define "ms.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "ms.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The component's values: componentDefaults, overridden by components.<name>. */}}
{{- define "ms.component" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.componentDefaults) (deepCopy (index .root.Values.components .name))) -}}
{{- end -}}

{{/* SHUTDOWN_DRAIN_MS rounded up to whole seconds. */}}
{{- define "ms.drainSeconds" -}}
{{- div (add (int .Values.config.shutdownDrainMs) 999) 1000 -}}
{{- end -}}

{{- define "ms.terminationGracePeriodSeconds" -}}
{{- $floor := add (int .Values.preStopSleepSeconds) (int (include "ms.drainSeconds" .)) -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds -}}
{{- add $floor (int .Values.shutdownCloseSeconds) -}}
{{- else if lt (int .Values.terminationGracePeriodSeconds) (int $floor) -}}
{{- fail (printf "terminationGracePeriodSeconds (%v) must be at least preStopSleepSeconds + SHUTDOWN_DRAIN_MS in seconds (%v)" .Values.terminationGracePeriodSeconds $floor) -}}
{{- else -}}
{{- int .Values.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}

{{/* One env entry read from the Secret: (dict "root" $ "key" "DATABASE_URL" "optional" false). */}}
{{- define "ms.secretEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "ms.secretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end -}}

{{/* The Secret's keys each process reads. */}}
{{- define "ms.secretEnvOf" -}}
{{- $root := .root -}}
{{- include "ms.secretEnv" (dict "root" $root "key" "AUTH_JWT_SECRET") }}
{{ include "ms.secretEnv" (dict "root" $root "key" "SUBGRAPH_SECRET") }}
{{ include "ms.secretEnv" (dict "root" $root "key" "REDIS_URL") }}
{{- if ne .name "gateway" }}
{{ include "ms.secretEnv" (dict "root" $root "key" "DATABASE_URL") }}
{{- end }}
{{- if eq .name "offers" }}
{{ include "ms.secretEnv" (dict "root" $root "key" "STRIPE_SECRET_KEY" "optional" true) }}
{{ include "ms.secretEnv" (dict "root" $root "key" "STRIPE_WEBHOOK_SECRET" "optional" true) }}
{{- end }}
{{- end -}}

{{- define "ms.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "ms.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}
