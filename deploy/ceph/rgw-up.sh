#!/usr/bin/env bash
# A throw-away, single-node Ceph object gateway for tests and local runs: one monitor, one RAM-only
# OSD (memstore) and radosgw on 127.0.0.1, with the STS and IAM role APIs on and SSE-KMS through
# RGW's "testing" key backend. Nothing listens beyond loopback; `rgw-down.sh` removes it all.
#
# RGW tenants stand for AWS accounts: users and roles live in tenant $SNAPEX_RGW_ACCOUNT, so role
# ARNs read arn:aws:iam::<account>:role/<name> as they do on AWS.
#
# Environment (all optional):
#   SNAPEX_RGW_DIR       data, logs, pids and ceph.conf   (default ${TMPDIR:-/tmp}/snapex-rgw)
#   SNAPEX_RGW_PORT      S3/STS/IAM port                  (default 7480)
#   SNAPEX_RGW_MON_PORT  monitor port                     (default 3300)
#   SNAPEX_RGW_REGION    what GetBucketLocation answers   (default us-east-1)
#   SNAPEX_RGW_ACCOUNT   tenant of the users and roles    (default 123456789012)
#   SNAPEX_RGW_KMS_KEYS  "keyId=base64(32 bytes) ..."     (default none; see rgw-gateway.sh)
#
# Needs the Debian packages of deploy/ceph/install.sh. Prints the gateway's description as one JSON
# object on the last line of stdout.
set -euo pipefail

DIR=${SNAPEX_RGW_DIR:-${TMPDIR:-/tmp}/snapex-rgw}
PORT=${SNAPEX_RGW_PORT:-7480}
MON_PORT=${SNAPEX_RGW_MON_PORT:-3300}
REGION=${SNAPEX_RGW_REGION:-us-east-1}
ACCOUNT=${SNAPEX_RGW_ACCOUNT:-123456789012}
KMS_KEYS=${SNAPEX_RGW_KMS_KEYS:-}

ADMIN_KEY=SNAPEXRGWADMIN000000
ADMIN_SECRET=snapex-rgw-admin-secret-0000000000000000
SERVICE_KEY=SNAPEXRGWSERVICE0000
SERVICE_SECRET=snapex-rgw-service-secret-00000000000000

started_at=$(date +%s%N)
elapsed() { echo "$(((($(date +%s%N) - started_at) / 1000000)))ms"; }
step() { echo "[rgw-up $(elapsed)] $*" >&2; }
fail() {
  echo "rgw-up: $* (logs in $DIR/log)" >&2
  exit 1
}
trap 'fail "failed at line $LINENO"' ERR

for tool in ceph-mon ceph-osd radosgw radosgw-admin ceph ceph-authtool monmaptool uuidgen curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed; run deploy/ceph/install.sh"
done

if [ -f "$DIR/pids" ]; then "$(dirname "$0")/rgw-down.sh" >&2; fi
rm -rf "$DIR"
mkdir -p "$DIR"/{mon,osd,rgw,run,log}
export CEPH_CONF=$DIR/ceph.conf

remember() { echo "$1 $2" >>"$DIR/pids"; }

wait_until() {
  local what=$1 tries=$2
  shift 2
  for _ in $(seq 1 "$tries"); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  fail "$what did not happen in time"
}

write_config() {
  cat >"$CEPH_CONF" <<EOF
[global]
fsid = $(uuidgen)
mon host = v2:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
run dir = $DIR/run
admin socket = $DIR/run/\$cluster-\$name.asok
log file = $DIR/log/\$cluster-\$name.log
log to stderr = false
err to stderr = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
# pools are created on demand by RGW: commit map changes quickly
paxos propose interval = 0.05
paxos min wait = 0.01
[client]
keyring = $DIR/\$cluster.\$name.keyring
[mon]
mon data = $DIR/mon/\$cluster-\$id
keyring = $DIR/mon/keyring
[osd]
osd data = $DIR/osd/\$cluster-\$id
keyring = $DIR/osd/\$cluster-\$id/keyring
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.gw]
keyring = $DIR/rgw/keyring
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw thread pool size = 64
rgw sts key = snapexrgwstskey1
rgw s3 auth use sts = true
rgw crypt s3 kms backend = testing
rgw crypt require ssl = false
rgw crypt s3 kms encryption keys = $KMS_KEYS
EOF
}

start_monitor() {
  ceph-authtool --create-keyring "$DIR/mon/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool --create-keyring "$DIR/ceph.client.admin.keyring" --gen-key -n client.admin \
    --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
  ceph-authtool "$DIR/mon/keyring" --import-keyring "$DIR/ceph.client.admin.keyring" >/dev/null
  local fsid
  fsid=$(sed -n 's/^fsid = //p' "$CEPH_CONF")
  monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$fsid" "$DIR/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/mon/keyring"
  ceph-mon -f -i a >"$DIR/log/mon.out" 2>&1 &
  remember mon $!
}

start_osd() {
  local uuid id
  uuid=$(uuidgen)
  id=$(ceph --connect-timeout 30 osd new "$uuid")
  mkdir -p "$DIR/osd/ceph-$id"
  ceph auth get-or-create "osd.$id" mon 'allow profile osd' mgr 'allow profile osd' osd 'allow *' \
    -o "$DIR/osd/ceph-$id/keyring"
  ceph-osd -i "$id" --mkfs --osd-uuid "$uuid" >"$DIR/log/osd-mkfs.out" 2>&1
  ceph-osd -f -i "$id" >"$DIR/log/osd.out" 2>&1 &
  remember osd $!
  wait_until "the OSD coming up" 240 sh -c 'ceph osd stat | grep -q "1 up"'
}

create_users() {
  # radosgw-admin works before radosgw runs; it also creates the default zone and zonegroup.
  radosgw-admin user create --tenant="$ACCOUNT" --uid=admin --display-name='snapex RGW administrator' \
    --access-key="$ADMIN_KEY" --secret="$ADMIN_SECRET" >/dev/null
  radosgw-admin caps add --tenant="$ACCOUNT" --uid=admin --caps='roles=*;users=*;buckets=*' >/dev/null
  radosgw-admin user create --tenant="$ACCOUNT" --uid=snapex-service --display-name='snapex service identity' \
    --access-key="$SERVICE_KEY" --secret="$SERVICE_SECRET" >/dev/null
  # LocationConstraint answers with the zonegroup's api name: make it the AWS region.
  radosgw-admin zonegroup modify --rgw-zonegroup=default --api-name="$REGION" >/dev/null
}

start_gateway() {
  ceph auth get-or-create client.rgw.gw mon 'allow rw' osd 'allow rwx' -o "$DIR/rgw/keyring"
  "$(dirname "$0")/rgw-gateway.sh" start
}

write_config
start_monitor
step "monitor started"
start_osd
step "OSD up"
create_users
step "users created"
start_gateway
step "radosgw answering on http://127.0.0.1:$PORT"

cat <<EOF
{"endpoint":"http://127.0.0.1:$PORT","region":"$REGION","account":"$ACCOUNT","dir":"$DIR","cephConf":"$CEPH_CONF","admin":{"accessKeyId":"$ADMIN_KEY","secretAccessKey":"$ADMIN_SECRET","arn":"arn:aws:iam::$ACCOUNT:user/admin"},"service":{"accessKeyId":"$SERVICE_KEY","secretAccessKey":"$SERVICE_SECRET","arn":"arn:aws:iam::$ACCOUNT:user/snapex-service"}}
EOF
