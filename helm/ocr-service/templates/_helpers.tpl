{{- define "ocr.name" -}}{{ .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}

{{- define "ocr.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "ocr.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ include "ocr.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* selector labels of one component: include "ocr.selector" (list . "api") */}}
{{- define "ocr.selector" -}}
app.kubernetes.io/name: {{ include "ocr.name" (index . 0) }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "ocr.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}{{ default (include "ocr.fullname" .) .Values.serviceAccount.name }}
{{- else -}}{{ default "default" .Values.serviceAccount.name }}{{- end -}}
{{- end -}}

{{- define "ocr.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}

{{- define "ocr.workerImage" -}}
{{- if .Values.worker.gpu.enabled -}}
{{ default .Values.image.repository .Values.worker.gpu.image.repository }}:{{ default (printf "%s-cuda" .Chart.AppVersion) .Values.worker.gpu.image.tag }}
{{- else -}}{{ include "ocr.image" . }}{{- end -}}
{{- end -}}

{{- define "ocr.secretName" -}}
{{- default (include "ocr.fullname" .) .Values.existingSecret -}}
{{- end -}}

{{- define "ocr.redisHost" -}}{{ include "ocr.fullname" . }}-redis{{- end -}}

{{/* REDIS_URL and the config of every OCR container */}}
{{- define "ocr.env" -}}
envFrom:
  - configMapRef:
      name: {{ include "ocr.fullname" . }}
env:
  - name: REDIS_URL
    valueFrom:
      secretKeyRef:
{{- if and .Values.redis.external.enabled .Values.redis.external.existingSecret }}
        name: {{ .Values.redis.external.existingSecret }}
        key: {{ .Values.redis.external.existingSecretKey }}
{{- else }}
        name: {{ include "ocr.secretName" . }}
        key: REDIS_URL
{{- end }}
  - name: WEBHOOK_SECRET
    valueFrom:
      secretKeyRef:
        name: {{ include "ocr.secretName" . }}
        key: WEBHOOK_SECRET
        optional: true
{{- end -}}

{{/* /tmp is the one writable path (read-only root file system) */}}
{{- define "ocr.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 1Gi
{{- end -}}

{{/* Pods get SIGTERM and the process exits within SHUTDOWN_GRACE (running pages aborted at the deadline); 20 s more covers the preStop wait and start of the drain. */}}
{{- define "ocr.terminationGrace" -}}
{{ add (int .Values.config.SHUTDOWN_GRACE) 20 }}
{{- end -}}

{{- define "ocr.validate" -}}
{{- if and .Values.redis.builtin.enabled .Values.redis.external.enabled -}}
{{- fail "redis.builtin.enabled and redis.external.enabled are exclusive: choose one" -}}
{{- end -}}
{{- if not (or .Values.redis.builtin.enabled .Values.redis.external.enabled) -}}
{{- fail "a Redis is required: set redis.builtin.enabled or redis.external.enabled" -}}
{{- end -}}
{{- if and .Values.redis.external.enabled (not (or .Values.redis.external.url .Values.redis.external.existingSecret)) -}}
{{- fail "redis.external.enabled needs redis.external.url or redis.external.existingSecret" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled .Values.redis.external.enabled (not .Values.autoscaling.redisAddress) -}}
{{- fail "autoscaling (KEDA) with an external Redis needs autoscaling.redisAddress (host:port)" -}}
{{- end -}}
{{- end -}}
