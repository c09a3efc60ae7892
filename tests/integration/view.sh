#!/bin/bash
# view: the delegate's view on a store filled with a known set of requests
# (tests/integration/view_test.py): list, show, close, note, label, log,
# stats (table, CSV, JSON), export, report (well-formed, rendered in
# headless Chromium when installed) and the digest (parsed back as MIME,
# sent once per day).  No mail server needed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=$ROOT/tests/tmp}"
DIR=$(mktemp -d "$TESTS_TMP/view.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
python3 "$ROOT/tests/integration/view_test.py" "$GUICHET" "$DIR"
