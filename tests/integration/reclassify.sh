#!/bin/bash
# reclassify.sh: stored labels are history.  Changing the rules changes
# nothing stored until `guichet reclassify --since` is run; --dry-run only
# reports; labels the delegate corrected by hand are kept; each change is
# an event.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=$ROOT/tests/tmp}"
T=$TESTS_TMP/reclassify
rm -rf "$T"; mkdir -p "$T"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { echo "not ok - $*"; exit 1; }
G() { "$GUICHET" --config "$ROOT/guichet.conf" --db "$T/s.db" "$@"; }
q() { sqlite3 "$T/s.db" "$1"; }

G ingest tests/fixtures/demo > /dev/null 2>&1 || fail "ingest"
before=$(q "SELECT group_concat(ref || ':' || domain, ' ') FROM requests ORDER BY id")
total=$(q "SELECT count(*) FROM requests")
[ "$total" -ge 5 ] || fail "fixtures stored ($total)"
ok "ingested $total requests"

# As if older rules had labelled everything 'autre'.
q "UPDATE requests SET domain = 'autre', topic = NULL"
ref1=$(q "SELECT ref FROM requests ORDER BY id LIMIT 1")
G label "$ref1" domain=vivre_ensemble > /dev/null || fail "label"

G reclassify --since 2000-01-01 --dry-run > "$T/dry.out" || fail "dry run"
[ "$(q "SELECT count(*) FROM requests WHERE domain = 'autre'")" = $((total - 1)) ] ||
	fail "dry run changed the store"
grep -q "dry run" "$T/dry.out" || fail "dry run says so"
ok "--dry-run reports and changes nothing"

G reclassify --since 2000-01-01 > "$T/run.out" || fail "reclassify"
after=$(q "SELECT group_concat(ref || ':' || domain, ' ') FROM requests WHERE ref != '$ref1' ORDER BY id")
expect=$(echo "$before" | tr ' ' '\n' | grep -v "^$ref1:" | paste -sd' ')
[ "$after" = "$expect" ] || fail "labels restored: got '$after' want '$expect'"
ok "the current rules relabel stored requests"
[ "$(q "SELECT domain FROM requests WHERE ref = '$ref1'")" = vivre_ensemble ] ||
	fail "hand correction kept"
ok "a label corrected by hand is kept"
ev=$(q "SELECT count(*) FROM events WHERE kind = 'reclassify'")
[ "$ev" -ge 1 ] || fail "events logged"
ok "each change is logged as an event ($ev)"
G reclassify --since 2000-01-01 | grep -q " 0 relabelled" || fail "idempotent"
ok "a second run changes nothing"
G reclassify > /dev/null 2>&1 && fail "missing --since accepted"
G reclassify --since garbage > /dev/null 2>&1 && fail "bad date accepted"
ok "bad arguments refused"
echo "1..$n"
