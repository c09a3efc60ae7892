#!/bin/bash
# check.sh: `guichet check` passes on the sample configuration, lists every
# error with file and line for broken ones, refuses readable password
# files, warns about store file modes and never creates the store.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=$ROOT/tests/tmp}"
T=$TESTS_TMP/check
rm -rf "$T"
mkdir -p "$T"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { echo "not ok - $*"; exit 1; }
run() {	# expected-status file args...: output in $T/out
	local want=$1 rc=0
	shift
	"$GUICHET" "$@" > "$T/out" 2>&1 || rc=$?
	[ "$rc" = "$want" ] || { cat "$T/out"; fail "guichet $*: exit $rc, want $want"; }
}

# The sample, from the source tree, with its own rules and templates.
run 0 --config guichet.conf --db "$T/never.db" check
grep -qx "configuration OK.*" "$T/out" || fail "sample: $(cat "$T/out")"
[ ! -e "$T/never.db" ] || fail "check created the store"
ok "sample guichet.conf: configuration OK, store not created"

# Every mistake of the broken fixtures, each with file and line.
for f in broken missing; do
	run 1 --config "tests/fixtures/config/$f.conf" check
	while IFS=: read -r line what; do
		[ -n "$line" ] || continue
		grep -qF "tests/fixtures/config/$f.conf:$line: $what" "$T/out" ||
		    fail "$f.conf: missing '$line: $what'"
	done < "tests/fixtures/config/$f.expected"
	[ "$(wc -l < "$T/out")" = "$(grep -c . "tests/fixtures/config/$f.expected")" ] ||
	    fail "$f.conf: other errors: $(cat "$T/out")"
	ok "$f.conf: every error listed with file:line, exit 1"
done
run 1 --config tests/fixtures/config/syntax.conf check
grep -q "syntax.conf:4: syntax error" "$T/out" || fail "syntax error line"
ok "syntax error with its line"

# A configuration of our own, to play with modes.
sed -e "s|^\(\s*store = \).*|\1\"$T/state/g.db\";|" \
    -e "s|\"rules\"|\"$ROOT/rules\"|; s|\"templates\"|\"$ROOT/templates\"|" \
    -e "s|tests/tmp/guichet-mailstack/pw/contact|$T/pw|" -e "/ca_file/d" guichet.conf > "$T/g.conf"
mkdir -p "$T/state"
chmod 700 "$T/state"
printf 'secret\n' > "$T/pw"
chmod 644 "$T/pw"
run 1 --config "$T/g.conf" check
grep -q "pw is mode 0644" "$T/out" || fail "readable password file: $(cat "$T/out")"
ok "password file readable by others: refused"
chmod 600 "$T/pw"
run 0 --config "$T/g.conf" check
! grep -q "^warning:" "$T/out" || fail "unexpected warning: $(cat "$T/out")"
grep -qx "configuration OK" "$T/out" || fail "want configuration OK: $(cat "$T/out")"
ok "private password file accepted"

: > "$T/state/g.db"
: > "$T/state/g.db-wal"
chmod 644 "$T/state/g.db" "$T/state/g.db-wal"
chmod 755 "$T/state"
run 0 --config "$T/g.conf" check
for f in "$T/state/g.db is mode 0644" "$T/state/g.db-wal is mode 0644" "$T/state is mode 0755"; do
	grep -qF "$f" "$T/out" || fail "no warning '$f': $(cat "$T/out")"
done
[ "$(stat -c %a "$T/state/g.db")" = 644 ] || fail "check changed a mode"
ok "store, WAL and folder modes warned about, not changed"

# Structured office hours with mistakes: each with file:line.
run 1 --config tests/fixtures/config/hours-bad.conf check
while IFS=: read -r line what; do
	[ -n "$line" ] || continue
	grep -qF "tests/fixtures/config/hours-bad.conf:$line: $what" "$T/out" ||
	    fail "hours-bad.conf: missing '$line: $what': $(cat "$T/out")"
done < tests/fixtures/config/hours-bad.expected
ok "office hours: every mistake with file:line, exit 1"

# An orientation topic missing in one reply language fails, the file named.
chmod 700 "$T/state"
chmod 600 "$T/state/g.db" "$T/state/g.db-wal"
cp -r templates "$T/tpl"
rm "$T/tpl/orientation-logement.ti.txt"
sed "s|\"$ROOT/templates\"|\"$T/tpl\"|" "$T/g.conf" > "$T/g2.conf"
run 1 --config "$T/g2.conf" check
grep -qF "$T/tpl/orientation-logement.ti.txt: missing" "$T/out" ||
    fail "missing Tigrinya orientation not named: $(cat "$T/out")"
[ "$(grep -c "missing" "$T/out")" = 1 ] || fail "other errors: $(cat "$T/out")"
rm "$T/tpl/orient-head.ar.txt"
run 1 --config "$T/g2.conf" check
grep -qF "no template orient-head.ar.txt" "$T/out" ||
    fail "missing Arabic opening not named: $(cat "$T/out")"
ok "orientation text missing in a reply language: check fails, the file named"

# security = plain is allowed only where the host resolves to loopback
# addresses: the same test as `run` (loopback.c), never a "127." prefix.
for h in 127.evil.example.com 127.0.0.1.example.com 10.0.0.1; do
	sed -e "0,/^\(\s*host = \).*/s||\1\"$h\";|" -e "0,/^\(\s*security = \).*/s||\1\"plain\";|" \
	    "$T/g.conf" > "$T/plain.conf"
	grep -q "\"$h\"" "$T/plain.conf" || fail "sed did not set host $h"
	run 1 --config "$T/plain.conf" check
	grep -q "security \"plain\".*$h" "$T/out" || fail "plain on $h: $(cat "$T/out")"
done
for h in 127.0.0.1 127.1.2.3 ::1 localhost; do
	sed -e "0,/^\(\s*host = \).*/s||\1\"$h\";|" -e "0,/^\(\s*security = \).*/s||\1\"plain\";|" \
	    "$T/g.conf" > "$T/plain.conf"
	run 0 --config "$T/plain.conf" check
done
ok "security plain: refused for 127.evil.example.com and other names, allowed on loopback"

run 2 --config "$T/g.conf" check --bogus
ok "unknown option: usage, exit 2"

rm -rf "$T"
echo "1..$n"
