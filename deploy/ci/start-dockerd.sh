#!/usr/bin/env bash
# Starts the Docker engine in the background when none answers (CI machines have no systemd).
# Published ports bind 127.0.0.1 only. Idempotent: an engine that already answers is left alone.
set -euo pipefail
DOCKER=${DOCKER:-/usr/bin/docker}
if "$DOCKER" info >/dev/null 2>&1; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
LOG=${DOCKERD_LOG:-/tmp/dockerd.log}
$SUDO nohup dockerd --ip=127.0.0.1 --storage-driver=overlay2 >"$LOG" 2>&1 &
for _ in $(seq 1 120); do
  if "$DOCKER" info >/dev/null 2>&1; then echo "dockerd is up (log: $LOG)"; exit 0; fi
  sleep 0.5
done
echo "dockerd did not start within 60 s; last lines of $LOG:" >&2
tail -20 "$LOG" >&2
exit 1
