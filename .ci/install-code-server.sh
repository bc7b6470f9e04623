#!/usr/bin/env bash
# Installs code-server (VS Code server + web workbench) into a git-ignored cache, for the
# integration tests (see test/host/runIntegration.ts and docs/test-host.md).
#
#   bash .ci/install-code-server.sh        # idempotent: does nothing when it already works
#
# code-server 4.100.3 = VS Code 1.100.3, the newest release that runs on Node 20. It is not a
# devDependency: its postinstall runs nested `npm install`s (lib/vscode, lib/vscode/extensions) that
# build native modules and need the environment set below.
set -euo pipefail

CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.100.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/.vscode-test/code-server-$CODE_SERVER_VERSION"
BIN="$DEST/node_modules/.bin/code-server"

if [ -x "$BIN" ] && "$BIN" --version >/dev/null 2>&1 \
  && [ -e "$DEST/node_modules/code-server/lib/vscode/node_modules/node-pty" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed: $("$BIN" --version | head -n1)"
  exit 0
fi

# A native module of VS Code (kerberos) includes gssapi.h: without it the install fails deep inside
# a native build, so say it now.
if [ ! -f /usr/include/gssapi/gssapi.h ]; then
  echo "error: gssapi.h is missing: install the Debian package libkrb5-dev (apt-get install libkrb5-dev)" >&2
  exit 1
fi

start=$(date +%s)
echo "Installing code-server@$CODE_SERVER_VERSION into $DEST"
rm -rf "$DEST"
mkdir -p "$DEST"

# Its postinstall refuses to run as root without unsafe-perm; node-pty's postinstall calls
# `npx node-gyp`, which would otherwise ask before installing node-gyp.
export npm_config_unsafe_perm=true
export npm_config_yes=true
export npm_config_fund=false
export npm_config_audit=false
export npm_config_update_notifier=false
# npm 11 runs dependencies' install scripts only when allowed. An allow-list does not reach the
# nested installs: a list given through the environment is refused in a project ("EALLOWSCRIPTS"),
# and npm passes a list from an npmrc on to its child processes as environment. So allow them all,
# for this install only: every package here is pinned by code-server's shrinkwraps, and the ones
# with install scripts are code-server, argon2, @parcel/watcher, @vscode/{deviceid,ripgrep,spdlog,
# windows-process-tree,windows-registry}, kerberos, native-watchdog and node-pty (native builds and
# the ripgrep download seeded below). npm 10 does not know the setting and runs them anyway.
export npm_config_dangerously_allow_all_scripts=true
# Build native modules against the local Node headers (there is no network to download them).
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$node_prefix"
  fi
fi

# @vscode/ripgrep@1.15.11 downloads rg from GitHub unless this tarball is already cached; one made
# from Debian's rg (package ripgrep) is accepted.
RG_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RG_TARBALL="$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$RG_TARBALL" ]; then
  RG="$(command -v rg || true)"
  if [ -z "$RG" ]; then
    echo "error: ripgrep (rg) is needed to pre-seed @vscode/ripgrep: apt-get install ripgrep" >&2
    exit 1
  fi
  mkdir -p "$RG_CACHE"
  tmp="$(mktemp -d)"
  cp "$RG" "$tmp/rg"
  tar -czf "$RG_TARBALL.tmp" -C "$tmp" rg
  mv "$RG_TARBALL.tmp" "$RG_TARBALL"
  rm -rf "$tmp"
fi

cat >"$DEST/package.json" <<JSON
{
  "name": "omni-video-code-server-cache",
  "private": true,
  "description": "code-server for the Omni Video integration tests (installed by .ci/install-code-server.sh)"
}
JSON

cd "$DEST"
npm install --no-save --omit=dev --loglevel=warn "code-server@$CODE_SERVER_VERSION"

if ! "$BIN" --version >/dev/null 2>&1; then
  echo "error: code-server was installed but does not run: $BIN --version" >&2
  exit 1
fi
if [ ! -e "$DEST/node_modules/code-server/lib/vscode/node_modules/node-pty" ]; then
  echo "error: code-server's postinstall did not install VS Code's dependencies" >&2
  exit 1
fi
echo "code-server installed in $(( $(date +%s) - start ))s: $("$BIN" --version | head -n1)"
