#!/usr/bin/env bash
# Stops the daemons rgw-up.sh started, newest first, by the pids it recorded, and removes its data.
set -uo pipefail

DIR=${SNAPEX_RGW_DIR:-${TMPDIR:-/tmp}/snapex-rgw}
[ -f "$DIR/pids" ] || exit 0

tac "$DIR/pids" | while read -r name pid; do
  kill -0 "$pid" 2>/dev/null || continue
  kill "$pid"
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
  echo "rgw-down: stopped $name ($pid)"
done
rm -rf "$DIR"
