#!/usr/bin/env bash
# Installs the Debian 12 packages rgw-up.sh needs (Ceph Pacific: monitor, OSD, radosgw, CLI tools).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends ceph-mon ceph-osd radosgw ceph-common uuid-runtime curl >/dev/null
