#!/bin/sh
# corpus_parse.sh: tests/corpus.sh (the `make corpus` robustness run) over
# the parser's own fixtures: every file stored or quarantined with a
# reason, a second run all duplicates and no new row.
set -eu
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}"
exec tests/corpus.sh "$GUICHET" tests/fixtures/parse
