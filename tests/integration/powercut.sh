#!/bin/bash
# powercut.sh: power cuts, not only kills.  The daemon runs with
# tests/lib/powercut.so, which logs what each write to the store overwrites;
# after each kill -9, tests/lib/powercut.py undoes every write that no fsync
# followed (what a power cut could lose, the worst case) before anything
# reads the store.  Requests arrive all along; at the end every request is
# stored exactly once, moved, and acknowledged (same Message-ID when sent
# again): 0 lost.  With commits at synchronous = NORMAL this loses the
# requests moved after a commit that was not yet on disk.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/powercut.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=38000
N=${POWERCUT_MESSAGES:-30}
TRIALS=${POWERCUT_TRIALS:-16}
. "$ROOT/tests/daemon-lib.sh"
SENDER_PID=
trap '[ -n "$SENDER_PID" ] && kill "$SENDER_PID" 2>/dev/null; cleanup; rm -rf "$W"' EXIT

cc -shared -fPIC -o "$W/powercut.so" "$ROOT/tests/lib/powercut.c" -ldl || fail "building the shim"
stack_start || fail "mail stack"
mkdir -p "$W/store"
write_config "$W/guichet.conf"
sed -i "s|store = \"$W/guichet.db\"|store = \"$W/store/guichet.db\"|" "$W/guichet.conf"
sql() { sqlite3 -batch -noheader -cmd ".timeout 10000" "$W/store/guichet.db" "$1"; }
for i in $(seq "$N"); do
	make_eml "$W/p$i.eml" "Person $i" "p$i@senders.test" "Demande $i" \
		"Bonjour, je cherche un cours de français et un logement à Chippis. Message $i."
done

python3 - "$W" "$N" <<'PY' &
import os, random, smtplib, sys, time
w, n = sys.argv[1], int(sys.argv[2])
i = 1
while i <= n:
    with smtplib.SMTP("127.0.0.1", int(os.environ["MAILSTACK_SMTP_PORT"]), timeout=30) as s:
        for _ in range(random.randint(1, 3)):
            if i > n:
                break
            s.sendmail("p%d@senders.test" % i, ["contact@example.test"], open("%s/p%d.eml" % (w, i), "rb").read())
            i += 1
    time.sleep(random.uniform(0.2, 0.6))
PY
SENDER_PID=$!

t=0 undone=0
while [ "$t" -lt "$TRIALS" ] || kill -0 "$SENDER_PID" 2>/dev/null; do
	LD_PRELOAD="$W/powercut.so" POWERCUT_DIR="$W/store" \
		"$GUICHET" --config "$W/guichet.conf" run >>"$W/daemon.log" 2>&1 &
	DAEMON_PID=$!
	sleep "0.$(printf '%02d' $((RANDOM % 80 + 10)))"
	daemon_kill
	# the power cut: nothing reads the store before this
	u=$(python3 "$ROOT/tests/lib/powercut.py" "$W/store") || fail "restoring the cut"
	undone=$((undone + ${u#undone }))
	t=$((t + 1))
done
wait "$SENDER_PID"; SENDER_PID=
[ "$(sqlite3 "$W/store/guichet.db" "PRAGMA integrity_check")" = ok ] || fail "store damaged after the cuts"
ok "$t power cuts, $undone unsynced writes undone, store intact"

daemon_start
all_stored() { [ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" -ge "$N" ]; }
WAIT_S=60 wait_for all_stored || fail "lost: only $(sql "SELECT count(*) FROM messages WHERE direction = 'in'") of $N requests stored ($(count contact INBOX) in INBOX, $(count contact Guichet/Traites) moved)"
all_acked() {
	[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 0 ] || return 1
	for i in $(seq "$N"); do [ "$(acks_to "p$i@senders.test")" -ge 1 ] || return 1; done
}
WAIT_S=60 wait_for all_acked || fail "not every request acknowledged"
moved() { [ "$(count contact INBOX)" = 0 ]; }
wait_for moved || fail "INBOX not empty: $(count contact INBOX)"
daemon_stop || fail "final SIGTERM"

[ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" = "$N" ] || fail "messages: $(sql "SELECT count(*) FROM messages WHERE direction = 'in'") != $N"
[ "$(sql "SELECT count(*) FROM requests")" = "$N" ] || fail "requests: $(sql "SELECT count(*) FROM requests") != $N"
distinct=$(python3 "$ROOT/tests/mailbox.py" contact headers --folder Guichet/Traites Message-ID |
	grep -i '^Message-ID:' | sort -u | wc -l)
[ "$distinct" = "$N" ] || fail "Guichet/Traites holds $distinct distinct messages, not $N"
for i in $(seq "$N"); do
	[ "$(acks_ids "p$i@senders.test")" = 1 ] || fail "p$i@senders.test got $(acks_ids "p$i@senders.test") different acknowledgments"
done
ok "0 requests lost: $N stored once, moved, acknowledged (one Message-ID each)"
echo "all ok"
