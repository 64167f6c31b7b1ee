{{- define "agora.fullname" -}}
{{- printf "%s-agora" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "agora.labels" -}}
app.kubernetes.io/name: agora
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "agora.dbSecret" -}}
{{- if .Values.db.existingSecret -}}{{ .Values.db.existingSecret }}{{- else -}}{{ include "agora.fullname" . }}-db{{- end -}}
{{- end -}}

{{/* The Secret with the TLS files (tls.crt, tls.key, ca.crt), or "" when none is configured. */}}
{{- define "agora.tlsSecret" -}}
{{- if .Values.tls.existingSecret -}}
{{- .Values.tls.existingSecret -}}
{{- else if .Values.tls.cert -}}
{{- printf "%s-tls" (include "agora.fullname" .) -}}
{{- end -}}
{{- end }}

{{- /* The Secret with the operators' JWKS, or "" when tokens come only from an OIDC provider. */ -}}
{{- define "agora.operatorJwksSecret" -}}
{{- if .Values.operators.existingJwksSecret -}}{{ .Values.operators.existingJwksSecret }}{{- else if .Values.operators.jwks -}}{{ include "agora.fullname" . }}-operator-jwks{{- end -}}
{{- end -}}

{{- /* The roles a pod can run. `prepare` is not one: the switch runs prepares in the position consumer group. */ -}}
{{- define "agora.roles" -}}api admin position notification timeout quote{{- end -}}

{{- /* Roles that consume a Kafka topic: at most kafka.partitions of their replicas do work. */ -}}
{{- define "agora.consumingRoles" -}}position notification quote{{- end -}}

{{- /* Roles an HPA may scale (all but the timeout scanner, whose work does not grow with CPU). */ -}}
{{- define "agora.autoscalableRoles" -}}api admin position notification quote{{- end -}}

{{- /* The most replicas a role can have: the HPA's maximum, or its fixed count. */ -}}
{{- define "agora.replicasMax" -}}
{{- $spec := .spec -}}
{{- if and $spec.autoscaling $spec.autoscaling.enabled -}}{{ int $spec.autoscaling.maxReplicas }}{{- else -}}{{ int $spec.replicas }}{{- end -}}
{{- end -}}

{{- define "agora.autoscaled" -}}
{{- if and .spec.autoscaling .spec.autoscaling.enabled -}}true{{- end -}}
{{- end -}}

{{- /* The values the chart refuses, each with its reason. Included by the ConfigMap (rendered once). */ -}}
{{- define "agora.checks" -}}
{{- if hasKey .Values.roles "prepare" }}
{{- fail "roles.prepare: there is no separate prepare role in this chart; the switch runs prepares in the position consumer group, so scale roles.position" }}
{{- end }}
{{- range $role, $spec := .Values.roles }}
{{- if not (has $role (splitList " " (include "agora.roles" $))) }}
{{- fail (printf "roles.%s: unknown role (known: %s)" $role (include "agora.roles" $)) }}
{{- end }}
{{- $max := int (include "agora.replicasMax" (dict "spec" $spec)) }}
{{- if and (has $role (splitList " " (include "agora.consumingRoles" $))) (gt $max (int $.Values.kafka.partitions)) }}
{{- fail (printf "roles.%s: %d replicas (with autoscaling: maxReplicas) but its topic has kafka.partitions=%d; the replicas beyond that would do no work" $role $max (int $.Values.kafka.partitions)) }}
{{- end }}
{{- if and (include "agora.autoscaled" (dict "spec" $spec)) (not (has $role (splitList " " (include "agora.autoscalableRoles" $)))) }}
{{- fail (printf "roles.%s.autoscaling: only %s autoscale" $role (include "agora.autoscalableRoles" $)) }}
{{- end }}
{{- end }}
{{- if and .Values.jws.sign (not (or .Values.jws.hubKeySecret .Values.jws.hubKey)) }}
{{- fail "jws.hubKeySecret or jws.hubKey is required when jws.sign is true" }}
{{- end }}
{{- if and .Values.adminTls.enabled (not (include "agora.tlsSecret" .)) }}
{{- fail "adminTls.enabled needs the tls files (tls.existingSecret or tls.cert)" }}
{{- end }}
{{- if and (include "agora.adminClientsSecret" .) (not .Values.adminTls.enabled) }}
{{- fail "adminTls.clients or adminTls.existingClientsSecret needs adminTls.enabled" }}
{{- end }}
{{- end -}}

{{- define "agora.jwsSecret" -}}
{{- if .Values.jws.hubKeySecret -}}{{ .Values.jws.hubKeySecret }}{{- else if .Values.jws.hubKey -}}{{ include "agora.fullname" . }}-jws{{- end -}}
{{- end -}}

{{- define "agora.webSecret" -}}
{{- if .Values.web.existingSecret -}}{{ .Values.web.existingSecret }}{{- else -}}{{ include "agora.fullname" . }}-web{{- end -}}
{{- end -}}

{{- define "agora.adminClientsSecret" -}}
{{- if .Values.adminTls.existingClientsSecret -}}{{ .Values.adminTls.existingClientsSecret }}{{- else if .Values.adminTls.clients -}}{{ include "agora.fullname" . }}-admin-clients{{- end -}}
{{- end -}}

{{- /* The database settings of the hook Jobs, which run before the chart's ConfigMap exists. */ -}}
{{- define "agora.dbEnv" -}}
- name: AGORA_DB_HOST
  value: {{ .Values.db.host | quote }}
- name: AGORA_DB_PORT
  value: {{ .Values.db.port | quote }}
- name: AGORA_DB_USER
  value: {{ .Values.db.user | quote }}
- name: AGORA_DB_NAME
  value: {{ .Values.db.database | quote }}
- name: AGORA_DB_ACQUIRE_TIMEOUT_MS
  value: {{ .Values.db.acquireTimeoutMs | quote }}
- name: AGORA_DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "agora.dbSecret" . }}
      key: password
{{- end -}}

{{- /* Pod settings shared by the roles and the hook Jobs. */ -}}
{{- define "agora.podSecurity" -}}
automountServiceAccountToken: false
securityContext: {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}
