{{/* The prefix of every object's name: <release>-sluice, or the release name when it already says sluice. */}}
{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; pass (dict "root" $ "component" "gateway"). */}}
{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: sluice
{{ include "sluice.selectorLabels" . }}
{{- end -}}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* A service's image; pass (dict "root" $ "service" "partition-service"). */}}
{{- define "sluice.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s/%s:%s" .root.Values.image.registry .root.Values.image.repository .service $tag -}}
{{- else -}}
{{- printf "%s/%s:%s" .root.Values.image.repository .service $tag -}}
{{- end -}}
{{- end -}}

{{- define "sluice.coordinatorUrl" -}}
{{- printf "http://%s-coordinator:%d" (include "sluice.fullname" .) (int .Values.coordinator.port) -}}
{{- end -}}

{{- define "sluice.gatewayUrl" -}}
{{- printf "http://%s-gateway:%d" (include "sluice.fullname" .) (int .Values.gateway.port) -}}
{{- end -}}

{{- define "sluice.redisUrl" -}}
{{- if .Values.redis.external.url -}}
{{- .Values.redis.external.url -}}
{{- else -}}
{{- printf "redis://%s-redis:6379" (include "sluice.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* Environment every Java service shares: bind addresses, the management port, JVM options. */}}
{{- define "sluice.commonEnv" -}}
- name: SERVER_ADDRESS
  value: "0.0.0.0"
- name: SERVER_PORT
  value: {{ .port | quote }}
- name: MANAGEMENT_SERVER_ADDRESS
  value: "0.0.0.0"
- name: MANAGEMENT_SERVER_PORT
  value: {{ .root.Values.managementPort | quote }}
- name: JAVA_TOOL_OPTIONS
  value: {{ .javaToolOptions | quote }}
{{- end -}}

{{/* A component's extra environment (values: <component>.env), last so that it overrides the chart's. */}}
{{- define "sluice.extraEnv" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Probes on the management port: startup (a cold JVM), liveness, readiness. */}}
{{- define "sluice.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: management
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: management
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{- define "sluice.topologySpread" -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: {{ .root.Values.topologySpread.topologyKey }}
    whenUnsatisfiable: {{ .root.Values.topologySpread.whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "sluice.selectorLabels" . | nindent 8 }}
{{- end -}}

{{/* /tmp, the only writable path of a Java container besides a partition service's data volume. */}}
{{- define "sluice.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}
