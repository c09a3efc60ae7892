#!/bin/bash
# loop_corpus.sh: the loop corpus through the real binary.  Every message of
# tests/fixtures/loops/robot (bounces, auto-replies of the common mail
# programs in several languages, list mail, read receipts, our own replies
# coming back) must come out of `guichet explain --json` with reply "none"
# and a reason; every request of tests/fixtures/loops/human with an
# acknowledgment or orientation reply.  Then `ingest` into a scratch store:
# robots queue nothing, each person exactly one reply, and a fourth message
# from the same sender within 24 h hits the cap of 3.
set -u
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}" "${TESTS_TMP:=$PWD/tests/tmp}"
dir="$TESTS_TMP/loop_corpus"
rm -rf "$dir"; mkdir -p "$dir"
trap '[ "$fail" = 0 ] && rm -rf "$dir"' EXIT
fail=0

# The fixtures write to integration@chippis.ch: use that as our address.
sed -e 's/contact@example.test/integration@chippis.ch/g' \
    -e 's/delegate@example.test/marie.exemple@chippis.ch/g' \
    -e "s|\"rules\"|\"$PWD/rules\"|; s|\"templates\"|\"$PWD/templates\"|" \
    -e "s|\"tests/tmp/|\"$dir/|g" guichet.conf > "$dir/guichet.conf"

"$GUICHET" --config "$dir/guichet.conf" --db "$dir/explain.db" explain --json \
    tests/fixtures/loops/robot/*.eml tests/fixtures/loops/human/*.eml > "$dir/explain.jsonl" || {
	echo "FAIL explain exited $?"; exit 1; }

python3 - "$dir/explain.jsonl" <<'PY' || fail=1
import json, sys
bad = n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    n += 1
    robot = "/robot/" in j["file"]
    reply, why = j.get("reply"), j.get("reply_reason")
    good = (reply == "none" and bool(why)) if robot else reply in ("ack", "orientation")
    print("%s %s: %s (%s)" % ("ok" if good else "FAIL", j["file"], reply, why))
    bad += not good
print("%d messages, %d wrong" % (n, bad))
sys.exit(1 if bad or n < 40 else 0)
PY

# Ingest: robots queue nothing, people one reply each.
"$GUICHET" --config "$dir/guichet.conf" --db "$dir/store.db" ingest \
    tests/fixtures/loops/robot/*.eml tests/fixtures/loops/human/*.eml > /dev/null 2>&1
humans=$(ls tests/fixtures/loops/human/*.eml | wc -l)
got=$(sqlite3 "$dir/store.db" "SELECT count(*) FROM outbox WHERE kind IN ('ack','orientation')")
echo "replies queued: $got for $humans people"
[ "$got" = "$humans" ] || { echo "FAIL replies queued"; fail=1; }

# The per-sender cap: five new requests from one sender, three replies.
for i in 1 2 3 4 5; do
	cat > "$dir/cap$i.eml" <<MAIL
From: Carla Mendes <carla.mendes@example.pt>
To: integration@chippis.ch
Subject: Pergunta $i sobre a escola
Message-ID: <cap-$i@example.pt>
Date: Fri, 27 Nov 2026 14:0$i:00 +0100
Content-Type: text/plain; charset=utf-8
MIME-Version: 1.0

Bom dia, tenho uma pergunta ($i) sobre a inscrição do meu filho na escola.
MAIL
done
"$GUICHET" --config "$dir/guichet.conf" --db "$dir/cap.db" ingest --json "$dir"/cap*.eml > "$dir/cap.jsonl" 2>&1
got=$(sqlite3 "$dir/cap.db" "SELECT count(*) FROM outbox WHERE rcpt = 'carla.mendes@example.pt'")
echo "cap: $got replies to one sender"
[ "$got" = 3 ] || { echo "FAIL per-sender cap (got $got)"; fail=1; }
grep -q '"reply_reason":"sender cap: 3 replies in 24 h"' "$dir/cap.jsonl" ||
    { echo "FAIL cap reason not recorded"; fail=1; }
exit $fail
