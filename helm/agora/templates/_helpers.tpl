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
