#!/bin/bash
# rawz.sh: the raw mail is stored once, compressed (raw_codec 1, zstd), and
# read back whole by the commands that need it (access, reclassify); rows
# stored before schema step 10 (raw as received, raw_codec 0) read the same.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/rawz.XXXXXX")
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
cp "$ROOT/guichet.conf" "$W/guichet.conf"
ln -s "$ROOT/rules" "$W/rules"; ln -s "$ROOT/templates" "$W/templates"
G() { "$GUICHET" --config "$W/guichet.conf" --db "$W/s.db" "$@"; }
sql() { sqlite3 -batch -noheader "$W/s.db" "$1"; }
F1=$ROOT/tests/fixtures/demo/01-fr-cours.eml F2=$ROOT/tests/fixtures/demo/02-de-wohnung.eml
G ingest "$F1" "$F2" >/dev/null 2>&1 || fail "ingest"
[ "$(sql "SELECT count(*) FROM messages WHERE raw_codec = 1")" = 2 ] || fail "raw not compressed"
sz=$(stat -c %s "$F1")
[ "$(sql "SELECT size FROM messages WHERE id = 1")" = "$sz" ] || fail "size is not the mail's"
# the second row as an older guichet stored it: the bytes as received
sql "UPDATE messages SET raw = readfile('$F2'), raw_codec = 0 WHERE id = 2"
for f in "$F1" "$F2"; do
	addr=$(sed -n 's/^From:.*<\([^>]*\)>.*/\1/p' "$f" | head -1)
	subj=$(sed -n 's/^Subject: //p' "$f" | head -1 | cut -c1-20)
	G access "$addr" --json > "$W/access.json" 2>"$W/err" || fail "access $addr: $(cat "$W/err")"
	python3 - "$W/access.json" "$f" <<'PY' || fail "access $addr: raw mail not given back whole"
import json, sys
d = json.load(open(sys.argv[1]))
raw = open(sys.argv[2], "rb").read().decode("utf-8", "replace")
def walk(o):
    if isinstance(o, dict):
        if o.get("raw") is not None:
            yield o["raw"]
        for v in o.values():
            yield from walk(v)
    elif isinstance(o, list):
        for v in o:
            yield from walk(v)
sys.exit(0 if any(r == raw for r in walk(d)) else 1)
PY
done
G reclassify --since 2000-01-01 > "$W/rc.out" 2>&1 || fail "reclassify: $(cat "$W/rc.out")"
grep -qi "error\|damaged" "$W/rc.out" && fail "reclassify: $(cat "$W/rc.out")"
# the text (step 12): compressed when long enough, read back the same
# through show, access and the digest's excerpt; a plain row from before reads the same
long=$W/long.eml
{ sed '/^$/,$d' "$F1" | grep -v '^Message-ID:\|^Content-Transfer-Encoding:'
  printf 'Message-ID: <long.rawz@senders.test>\nContent-Transfer-Encoding: 8bit\n\n'
  for i in $(seq 12); do echo "Bonjour, je cherche un cours de français du soir pour adultes, phrase $i."; done
  echo "Le mot témoin est zinnia-rawz."; } > "$long"
G ingest "$long" >/dev/null 2>&1 || fail "ingest of the long mail"
[ "$(sql "SELECT text_codec FROM messages WHERE message_id LIKE 'long.rawz%'")" = 1 ] ||
	fail "long text not compressed"
[ "$(sql "SELECT text_codec FROM messages WHERE id = 1")" = 0 ] || fail "short text compressed"
ref=$(sql "SELECT r.ref FROM requests r JOIN messages m ON m.request_id = r.id WHERE m.message_id LIKE 'long.rawz%'")
G show "$ref" > "$W/show.out" 2>&1 || fail "show $ref"
grep -q "zinnia-rawz" "$W/show.out" || fail "show: compressed text not read back"
grep -q "phrase 12" "$W/show.out" || fail "show: compressed text not whole"
addr=$(sed -n 's/^From:.*<\([^>]*\)>.*/\1/p' "$F1" | head -1)
G access "$addr" --json > "$W/access.json" 2>"$W/err" || fail "access: $(cat "$W/err")"
grep -q "zinnia-rawz" "$W/access.json" || fail "access: compressed text not given"
echo "ok - raw mail compressed once, given back whole (zstd and rows from before step 10); long texts compressed (step 12), read back"
