#!/usr/bin/env bash
# Starts radosgw of the cluster rgw-up.sh made, or restarts it with other SSE-KMS keys:
#   rgw-gateway.sh start
#   rgw-gateway.sh keys "arn:aws:kms:...:key/<id>=<base64 of 32 bytes> alias/other=<...>"
# RGW has no KMS API and reads its "testing" backend's keys only at start: the key ids callers name
# (e.g. ones a separate KMS returned) are registered here. A key left out is refused by RGW.
set -euo pipefail

DIR=${SNAPEX_RGW_DIR:-${TMPDIR:-/tmp}/snapex-rgw}
export CEPH_CONF=$DIR/ceph.conf
PORT=$(sed -n 's/.*beast endpoint=127.0.0.1:\([0-9]*\).*/\1/p' "$CEPH_CONF")

stop_gateway() {
  local pid
  pid=$(sed -n 's/^rgw //p' "$DIR/pids")
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  sed -i '/^rgw /d' "$DIR/pids"
}

start_gateway() {
  radosgw -f -n client.rgw.gw >>"$DIR/log/rgw.out" 2>&1 &
  echo "rgw $!" >>"$DIR/pids"
  for _ in $(seq 1 480); do
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; then return 0; fi
    sleep 0.25
  done
  echo "rgw-gateway: radosgw did not answer on port $PORT (logs in $DIR/log)" >&2
  exit 1
}

case "${1:-}" in
  start) start_gateway ;;
  keys)
    keys=${2:-}
    sed -i "s|^rgw crypt s3 kms encryption keys = .*|rgw crypt s3 kms encryption keys = $keys|" "$CEPH_CONF"
    stop_gateway
    start_gateway
    ;;
  *)
    echo "usage: $0 start | keys \"<keyId>=<base64 key> ...\"" >&2
    exit 64
    ;;
esac
