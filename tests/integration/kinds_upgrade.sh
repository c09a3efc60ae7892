#!/bin/bash
# kinds_upgrade: a store from before mail kinds counted every mail as a
# request.  Such a store is made here from a current one (robots promoted,
# then the promotions forgotten and the upgrade marked pending, as the
# schema step leaves it); the next command runs the kind stage once over
# the stored requests: the robots and spam leave the figures with a
# "demoted ... upgrade" event and a report, the people stay, and
# `guichet promote REF` reverses one.  Running again changes nothing.
set -u
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}" "${TESTS_TMP:=$PWD/tests/tmp}"
dir="$TESTS_TMP/kinds_upgrade"; rm -rf "$dir"; mkdir -p "$dir"
db="$dir/guichet.db"
fail=0
g() { "$GUICHET" --config guichet.conf --db "$db" "$@"; }
total() { g stats 2>/dev/null | sed -n '1s/.*: *\([0-9][0-9]*\)$/\1/p'; }
check() { if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected [$2], got [$3]"; fail=1; fi; }

g ingest tests/fixtures/demo tests/fixtures/kinds/robot tests/fixtures/kinds/spam > /dev/null 2>&1
people=$(total)
check "the demo's people are the requests" 8 "$people"
for id in $(sqlite3 "$db" "SELECT id FROM messages WHERE kind IN ('robot','spam') ORDER BY id"); do
	g promote "$id" > /dev/null 2>&1 || { echo "not ok - promote $id"; fail=1; }
done
all=$(total)
check "as before kinds: every mail a request" "$(sqlite3 "$db" "SELECT count(*) FROM messages WHERE direction = 'in'")" "$all"
sqlite3 "$db" "DELETE FROM events WHERE kind = 'promoted';
	INSERT INTO meta(key, value) VALUES('rekind', 'pending')"
g stats > "$dir/stats.out" 2> "$dir/stats.err"
check "the upgrade leaves only the people" "$people" "$(sed -n '1s/.*: *\([0-9][0-9]*\)$/\1/p' "$dir/stats.out")"
grep -q "store upgraded to mail kinds: $((all - people)) of $all stored requests are no longer counted" "$dir/stats.err" &&
	echo "ok - the upgrade says how many and which" || { echo "not ok - upgrade report: $(cat "$dir/stats.err")"; fail=1; }
check "each with a demoted event of the upgrade" $((all - people)) \
	"$(sqlite3 "$db" "SELECT count(*) FROM events WHERE kind = 'demoted' AND detail LIKE 'request -> %: upgrade: %'")"
check "once only" "" "$(sqlite3 "$db" "SELECT value FROM meta WHERE key = 'rekind'")"
ref=$(sqlite3 "$db" "SELECT ref FROM requests WHERE kind = 'robot' ORDER BY id LIMIT 1")
g promote "$ref" > /dev/null 2>&1
check "promote REF reverses the upgrade for one" $((people + 1)) "$(total)"
sqlite3 "$db" "INSERT INTO meta(key, value) VALUES('rekind', 'pending')"
check "a second pass undoes no correction" $((people + 1)) "$(total)"
exit $fail
