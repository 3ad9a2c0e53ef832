#!/usr/bin/env bash
# Fails when a reviewer's report differs between Conclave's Python parser and tree-sitter
# (CONCLAVE_PYTHON_PARSER=tree-sitter): the parser must change how fast a review is, never what
# it finds (docs/PARSER.md).
#   same_findings.sh BIN_DIR PATH...
set -euo pipefail
bin_dir="$1"
shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for pack in security performance architecture; do
  # Exit 1 means findings were reported, which is expected; 2 is an error.
  "$bin_dir/conclave-$pack" scan --format json --output "$work/$pack.fast.json" "$@" || [ $? -eq 1 ]
  CONCLAVE_PYTHON_PARSER=tree-sitter "$bin_dir/conclave-$pack" scan --format json \
    --output "$work/$pack.tree-sitter.json" "$@" || [ $? -eq 1 ]
  if cmp -s "$work/$pack.fast.json" "$work/$pack.tree-sitter.json"; then
    echo "conclave-$pack: the same report with either parser"
  else
    echo "conclave-$pack: the reports differ:"
    diff "$work/$pack.tree-sitter.json" "$work/$pack.fast.json" | head -40
    status=1
  fi
done
exit "$status"
