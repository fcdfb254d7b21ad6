#!/usr/bin/env bash
# The npm package as users get it: `npm pack`, install the tarball in an empty directory, then run
# its `orchestrator` bin (--version, --help, and an offline run of the seed example). The install
# stays small: the @actions/* toolkit lives only in the Action's bundle (dist/), so the CLI pulls at
# most MAX_PACKAGES packages and MAX_MB megabytes, and nothing it ships imports @actions/*.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node24="$repo/node_modules/.bin/node" # the CLI needs Node 22+; this machine's own node may be older

cd "$repo"
# prepack builds the bundle (build/package); its errors are shown when it fails
npm pack --pack-destination "$work" >"$work/pack.out" 2>"$work/pack.log" ||
  { cat "$work/pack.out" "$work/pack.log" >&2; echo 'pack-smoke: npm pack failed' >&2; exit 1; }
tarball="$(tail -n 1 "$work/pack.out")"
mkdir "$work/app"
cd "$work/app"
npm init -y >/dev/null
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$work/$tarball" >/dev/null
bin="$work/app/node_modules/.bin/orchestrator"

MAX_PACKAGES=15
MAX_MB=25
# every package npm put in node_modules (nested ones included), ours too
packages="$("$node24" -e '
const lock = require(process.argv[1]);
console.log(Object.keys(lock.packages).filter((path) => path.startsWith("node_modules/")).length);
' "$work/app/node_modules/.package-lock.json")"
if [ "$packages" -gt "$MAX_PACKAGES" ]; then
  echo "pack-smoke: the install pulled $packages packages, more than $MAX_PACKAGES:" >&2
  (cd "$work/app" && npm ls --all >&2) || true
  exit 1
fi
kilobytes="$(du -sk "$work/app/node_modules" | cut -f1)"
if [ "$kilobytes" -gt $((MAX_MB * 1024)) ]; then
  echo "pack-smoke: the install takes $((kilobytes / 1024)) MB, more than $MAX_MB MB:" >&2
  du -sk "$work/app/node_modules"/* "$work/app/node_modules"/@*/* 2>/dev/null | sort -n | tail -n 5 >&2
  exit 1
fi
installed="$work/app/node_modules/@orchestrator-ai/orchestrator"
if grep -rlE "from ['\"]@actions/|import\\(['\"]@actions/" "$installed" >&2; then
  echo 'pack-smoke: the files above import @actions/*, which the CLI package does not install (it lives in dist/ only)' >&2
  exit 1
fi

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
echo "pack-smoke: $tarball installs $packages package(s) ($((kilobytes / 1024)) MB) and runs (version $version)"
