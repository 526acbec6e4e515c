#!/usr/bin/env bash
# `make test` must leave `git status` as it found it: `before` records it, `after` compares.
# Tests write only ignored files (screenshots go to target/screenshots); this catches any that do not.
set -euo pipefail
cd "$(dirname "$0")/.."
record=target/git-status-before-test
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  exit 0
fi
mkdir -p target
case "${1:-}" in
  before) git status --porcelain >"$record" ;;
  after)
    now=$(git status --porcelain)
    if [[ "$now" != "$(cat "$record" 2>/dev/null)" ]]; then
      echo "ripple: make test changed files that git tracks or sees:" >&2
      diff <(cat "$record") <(echo "$now") >&2 || true
      exit 1
    fi
    ;;
  *) echo "usage: $0 before|after" >&2; exit 2 ;;
esac
