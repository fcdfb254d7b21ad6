#!/usr/bin/env bash
# The npm package as users get it: `npm pack`, install the tarball in an empty directory, then run
# its `orchestrator` bin (--version, --help, and an offline run of the seed example).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node24="$repo/node_modules/.bin/node" # the CLI needs Node 22+; this machine's own node may be older

cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$work/$tarball" >/dev/null
bin="$work/app/node_modules/.bin/orchestrator"

version="$("$node24" "$bin" --version)"
expected="$("$node24" -p "require('$repo/package.json').version")"
if [ "$version" != "$expected" ]; then
  echo "pack-smoke: --version printed '$version', expected '$expected'" >&2
  exit 1
fi
"$node24" "$bin" --help | grep -q 'Usage: orchestrator' || { echo 'pack-smoke: --help printed no usage' >&2; exit 1; }

mkdir examples && cp -r "$repo/examples/seed" examples/seed
"$node24" "$bin" examples/seed/config.json --key doc:examples/seed/docs.txt --offline --output out >/dev/null 2>&1 ||
  { echo 'pack-smoke: the offline seed run failed' >&2; exit 1; }
test -s out/run_*/results.json || { echo 'pack-smoke: no results.json' >&2; exit 1; }
echo "pack-smoke: $tarball installs and runs (version $version)"
