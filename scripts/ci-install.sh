#!/usr/bin/env bash
# `npm ci` that fails when a package does not support this Node: npm itself only warns (EBADENGINE) and
# installs it anyway, and the first sign would be a crash in production on Node 20.
set -euo pipefail
log=$(mktemp)
trap 'rm -f "$log"' EXIT
npm ci --no-audit --no-fund "$@" 2>&1 | tee "$log"
if grep -q EBADENGINE "$log"; then
  echo "npm ci: a package does not support Node $(node -v) (EBADENGINE above): pin a major that does, or add an \"overrides\" entry in package.json" >&2
  exit 1
fi
