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

{{/* The gateway's URL inside the cluster: HTTPS when it serves TLS (security.tls.enabled). */}}
{{- define "sluice.gatewayUrl" -}}
{{- printf "%s://%s-gateway:%d" (ternary "https" "http" .Values.security.tls.enabled) (include "sluice.fullname" .) (int .Values.gateway.port) -}}
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

{{/*
Security (values: security.*, docs/security.md). Secrets reach the services as files only: the cluster secret and the
stream-token secret through a Spring Boot config tree (/etc/sluice/secrets/<property name>), the users file, the JWT
public key and the TLS certificate as files the gateway's properties name. Nothing secret goes into an environment
variable, an argument or a ConfigMap.
*/}}

{{/* The Secret the chart generates for the cluster and stream-token secrets that no existingSecret gives. */}}
{{- define "sluice.securitySecretName" -}}
{{- printf "%s-security" (include "sluice.fullname" .) -}}
{{- end -}}

{{- define "sluice.clusterSecretName" -}}
{{- default (include "sluice.securitySecretName" .) .Values.security.clusterSecret.existingSecret -}}
{{- end -}}

{{- define "sluice.streamTokensSecretName" -}}
{{- default (include "sluice.securitySecretName" .) .Values.security.streamTokens.existingSecret -}}
{{- end -}}

{{/* Whether the gateway imports its security properties: security, TLS or CORS is on. */}}
{{- define "sluice.gatewaySecured" -}}
{{- if or .Values.security.enabled .Values.security.tls.enabled .Values.security.cors.allowedOrigins -}}true{{- end -}}
{{- end -}}

{{/* The Secret of type kubernetes.io/tls the gateway serves from: given, or the cert-manager Certificate's. */}}
{{- define "sluice.gatewayTlsSecretName" -}}
{{- if .Values.security.tls.certManager.enabled -}}
{{- printf "%s-gateway-tls" (include "sluice.fullname" .) -}}
{{- else -}}
{{- .Values.security.tls.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* The switch, and the config tree the cluster secret is read from (coordinators and partition services). */}}
{{- define "sluice.securityEnv" -}}
- name: SLUICE_SECURITY_ENABLED
  value: "true"
- name: SPRING_CONFIG_IMPORT
  value: "configtree:/etc/sluice/secrets/"
{{- end -}}

{{/* The config tree of a secured service: the cluster secret, and for a gateway the stream-token secret. */}}
{{- define "sluice.secretsVolume" -}}
- name: secrets
  projected:
    # 0440: read by the pod's group (fsGroup) only.
    defaultMode: 288
    sources:
      - secret:
          name: {{ include "sluice.clusterSecretName" .root }}
          items:
            - key: {{ .root.Values.security.clusterSecret.key }}
              path: sluice.security.cluster-secret
      {{- if .gateway }}
      - secret:
          name: {{ include "sluice.streamTokensSecretName" .root }}
          items:
            - key: {{ .root.Values.security.streamTokens.key }}
              path: sluice.security.stream-tokens.secret
      {{- end }}
{{- end -}}

{{- define "sluice.secretsMount" -}}
- name: secrets
  mountPath: /etc/sluice/secrets
  readOnly: true
{{- end -}}

{{/* Quota properties; pass (dict "prefix" "sluice.security.quotas.defaults" "quota" <values>). */}}
{{- define "sluice.quotaProperties" -}}
{{- with .quota.produceBytesPerSecond }}
{{ $.prefix }}.produce-bytes-per-second={{ . }}
{{- end }}
{{- with .quota.fetchBytesPerSecond }}
{{ $.prefix }}.fetch-bytes-per-second={{ . }}
{{- end }}
{{- with .quota.requestsPerSecond }}
{{ $.prefix }}.requests-per-second={{ . }}
{{- end }}
{{- end -}}

{{/* The certificate that callers of the gateway trust (the console, the helm test): only security.tls.caKey. */}}
{{- define "sluice.gatewayCaVolume" -}}
- name: gateway-ca
  secret:
    secretName: {{ include "sluice.gatewayTlsSecretName" . }}
    items:
      - key: {{ .Values.security.tls.caKey }}
        path: ca.crt
{{- end -}}

{{/*
Whether the partition services run their own Kafka listeners (the direct data path): asked for, with the gateways'
Kafka listener on (clients bootstrap there), and, where the gateways serve TLS, with a certificate for the pods.
*/}}
{{- define "sluice.partitionKafka" -}}
{{- if and .Values.partition.kafka.enabled .Values.gateway.kafka.enabled (or (not .Values.security.tls.enabled) (include "sluice.partitionTlsSecretName" .)) -}}true{{- end -}}
{{- end }}

{{/* The Secret of type kubernetes.io/tls the partitions' Kafka listeners serve from: given, the Certificate's, or none. */}}
{{- define "sluice.partitionTlsSecretName" -}}
{{- if .Values.security.tls.certManager.enabled -}}
{{- printf "%s-partition-tls" (include "sluice.fullname" .) -}}
{{- else -}}
{{- .Values.security.tls.partitions.existingSecret -}}
{{- end -}}
{{- end -}}

{{/* Whether the partition services import properties of their own: their listeners sign clients in, or serve TLS. */}}
{{- define "sluice.partitionSecured" -}}
{{- if or .Values.security.enabled (and .Values.security.tls.enabled (include "sluice.partitionKafka" .)) -}}true{{- end -}}
{{- end -}}

{{/* How a Kafka listener signs clients in and what they may do: the same for the gateways and the partitions. */}}
{{- define "sluice.signInProperties" -}}
{{- with .Values.security }}
{{- if .basic.existingSecret }}
sluice.security.basic.users-file=/etc/sluice/users/users
{{- end }}
{{- with .jwt.jwkSetUri }}
sluice.security.jwt.jwk-set-uri={{ . }}
{{- end }}
{{- if .jwt.publicKey.existingSecret }}
sluice.security.jwt.public-key-file=/etc/sluice/jwt/public-key.pem
{{- end }}
{{- with .jwt.issuer }}
sluice.security.jwt.issuer={{ . }}
{{- end }}
{{- with .jwt.audience }}
sluice.security.jwt.audience={{ . }}
{{- end }}
{{- with .jwt.principalClaim }}
sluice.security.jwt.principal-claim={{ . }}
{{- end }}
{{- with .superUsers }}
sluice.security.super-users={{ join "," . }}
{{- end }}
{{- with .sasl.maxSessionLifetime }}
sluice.security.sasl.max-session-lifetime={{ . }}
{{- end }}
{{- if include "sluice.clientCertificates" $ }}
sluice.security.tls.client-auth={{ .clientCertificates.clientAuth }}
{{- with .clientCertificates.principalMappingRules }}
{{- /* A backslash in a properties value escapes the next character: written twice, it stands for itself. */}}
sluice.security.tls.principal-mapping-rules={{ . | replace "\\" "\\\\" }}
{{- end }}
{{- end }}
{{- with include "sluice.quotaProperties" (dict "prefix" "sluice.security.quotas.defaults" "quota" .quotas.defaults) | trim }}
{{ . }}
{{- end }}
{{- range $principal, $quota := .quotas.overrides }}
{{- /* A ':' in a properties key must be escaped, or it ends the key. */}}
{{- with include "sluice.quotaProperties" (dict "prefix" (printf "sluice.security.quotas.overrides[%s]" ($principal | replace ":" "\\:")) "quota" $quota) | trim }}
{{ . }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The users file and the JWT public key, where Secrets give them: the volumes, then their mounts. */}}
{{- define "sluice.signInVolumes" -}}
{{- with .Values.security }}
{{- if .basic.existingSecret }}
- name: users
  secret:
    secretName: {{ .basic.existingSecret }}
    defaultMode: 288
    items:
      - key: {{ .basic.key }}
        path: users
{{- end }}
{{- if .jwt.publicKey.existingSecret }}
- name: jwt
  secret:
    secretName: {{ .jwt.publicKey.existingSecret }}
    defaultMode: 288
    items:
      - key: {{ .jwt.publicKey.key }}
        path: public-key.pem
{{- end }}
{{- if include "sluice.clientCertificates" $ }}
- name: client-ca
  secret:
    secretName: {{ .clientCertificates.caSecret }}
    items:
      - key: {{ .clientCertificates.caKey }}
        path: ca.crt
{{- end }}
{{- end }}
{{- end -}}

{{- define "sluice.signInMounts" -}}
{{- if .Values.security.basic.existingSecret }}
- name: users
  mountPath: /etc/sluice/users
  readOnly: true
{{- end }}
{{- if .Values.security.jwt.publicKey.existingSecret }}
- name: jwt
  mountPath: /etc/sluice/jwt
  readOnly: true
{{- end }}
{{- if include "sluice.clientCertificates" . }}
- name: client-ca
  mountPath: /etc/sluice/client-ca
  readOnly: true
{{- end }}
{{- end -}}

{{/*
Whether clients sign in by their certificates (security.clientCertificates.clientAuth): needs security and TLS on and
the Secret of the CA that issues the clients' certificates.
*/}}
{{- define "sluice.clientCertificates" -}}
{{- with .Values.security.clientCertificates }}
{{- if .clientAuth }}
{{- if not (has .clientAuth (list "requested" "required")) }}
{{- fail (printf "security.clientCertificates.clientAuth is requested or required, not %s" .clientAuth) }}
{{- end }}
{{- if not (and $.Values.security.enabled $.Values.security.tls.enabled .caSecret) }}
{{- fail "security.clientCertificates.clientAuth needs security.enabled, security.tls.enabled and security.clientCertificates.caSecret" }}
{{- end -}}
true
{{- end }}
{{- end }}
{{- end -}}

{{/* A Secret of type kubernetes.io/tls as the volume "tls": tls.crt and tls.key. Pass (dict "secret" <name>). */}}
{{- define "sluice.tlsVolume" -}}
- name: tls
  secret:
    secretName: {{ .secret }}
    defaultMode: 288
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
{{- end -}}
