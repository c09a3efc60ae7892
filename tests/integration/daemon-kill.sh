#!/bin/bash
# kill -9 at random moments while a stream of requests arrives (at least 20
# trials), then a restart: every message stored exactly once, moved once,
# and every acknowledgment received exactly once.
#
# An acknowledgment the server accepted just before the kill, whose "sent"
# mark was not yet committed, is sent again with the same Message-ID
# (at-least-once over SMTP, a window of one round trip, see DESIGN.md):
# the test counts acknowledgments by Message-ID and reports such re-sends.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/daemon-kill.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=32000
N=${KILL_MESSAGES:-40}
TRIALS=${KILL_TRIALS:-24}
. "$ROOT/tests/daemon-lib.sh"
SENDER_PID=
trap '[ -n "$SENDER_PID" ] && kill "$SENDER_PID" 2>/dev/null; cleanup; rm -rf "$W"' EXIT

stack_start || fail "mail stack"
write_config "$W/guichet.conf"
for i in $(seq "$N"); do
	make_eml "$W/k$i.eml" "Person $i" "k$i@senders.test" "Demande $i" \
		"Bonjour, je cherche un cours de français et un logement à Chippis. Message $i."
done

# The stream: bursts of one to three messages, from one SMTP client.
python3 - "$W" "$N" <<'EOF' &
import os, random, smtplib, sys, time
w, n = sys.argv[1], int(sys.argv[2])
i = 1
while i <= n:
    with smtplib.SMTP("127.0.0.1", int(os.environ["MAILSTACK_SMTP_PORT"]), timeout=30) as s:
        for _ in range(random.randint(1, 3)):
            if i > n:
                break
            s.sendmail("k%d@senders.test" % i, ["contact@example.test"], open("%s/k%d.eml" % (w, i), "rb").read())
            i += 1
    time.sleep(random.uniform(0.1, 0.5))
EOF
SENDER_PID=$!

start=$(date +%s)
t=0
while [ "$t" -lt "$TRIALS" ] || kill -0 "$SENDER_PID" 2>/dev/null; do
	daemon_start
	sleep "0.$(printf '%02d' $((RANDOM % 70 + 5)))"
	daemon_kill
	t=$((t + 1))
done
wait "$SENDER_PID"; SENDER_PID=
ok "$t kill -9 trials in $(( $(date +%s) - start )) s, $(sql "SELECT count(*) FROM messages") messages stored meanwhile"

daemon_start
all_stored() { [ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" -ge "$N" ]; }
WAIT_S=40 wait_for all_stored || fail "only $(sql "SELECT count(*) FROM messages") of $N stored"
all_acked() {
	[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 0 ] || return 1
	for i in $(seq "$N"); do [ "$(acks_to "k$i@senders.test")" -ge 1 ] || return 1; done
}
WAIT_S=40 wait_for all_acked || fail "not every message acknowledged"
moved() { [ "$(count contact INBOX)" = 0 ]; }
wait_for moved || fail "INBOX not empty: $(count contact INBOX)"
sleep 1
daemon_stop || fail "final SIGTERM"

[ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" = "$N" ] || fail "messages: $(sql "SELECT count(*) FROM messages WHERE direction = 'in'") != $N"
[ "$(sql "SELECT count(*) FROM requests")" = "$N" ] || fail "requests: $(sql "SELECT count(*) FROM requests") != $N"
[ "$(sql "SELECT count(*) FROM outbox")" = "$N" ] || fail "outbox rows: $(sql "SELECT count(*) FROM outbox") != $N"
[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" = "$N" ] || fail "not all sent"
# Every message is in the done folder.  Dovecot carries out MOVE as a copy
# then an expunge; a client killed inside that command can leave the copy
# made and the original not yet expunged, which the next start moves again:
# a second copy in the done folder, never a second request (checked above).
distinct=$(python3 "$ROOT/tests/mailbox.py" contact headers --folder Guichet/Traites Message-ID |
	grep -i '^Message-ID:' | sort -u | wc -l)
copies=$(count contact Guichet/Traites)
[ "$distinct" = "$N" ] || fail "Guichet/Traites holds $distinct distinct messages, not $N"
[ "$copies" -le $((N + t / 10)) ] || fail "Guichet/Traites holds $copies copies of $N messages"
ok "every message stored once ($N), in the done folder ($copies copies; $(grep -c "already stored, moved now" "$W/daemon.log") moved only after a restart)"

resent=0
for i in $(seq "$N"); do
	ids=$(acks_ids "k$i@senders.test") n=$(acks_to "k$i@senders.test")
	[ "$ids" = 1 ] || fail "k$i@senders.test got $ids different acknowledgments"
	[ "$n" -gt 1 ] && resent=$((resent + n - 1))
done
ok "every acknowledgment received exactly once ($N distinct); re-sent with the same Message-ID after a kill inside the SMTP window: $resent"
# Each re-send needs a kill inside one SMTP round trip: after the server's
# last look at the connection (Exim checks that the client is still there
# once its spool is written, then takes the message and answers 250) and
# before guichet's write of the "sent" mark.  That window is the scheduler's
# as much as ours: 30 runs on 2 cores at load 2 to 12 (2026-12-07) re-sent
# 0 (16 runs), 1 (13) or 2 (1) replies in 24 to 39 trials, and a fresh-clone
# CI run once 3 in 26, which the old bound of one in ten trials failed.
# A lost or unwritten mark re-sends after most kills; one in five trials
# still catches that, and never fails on the window alone.
[ "$resent" -le $(( (t + 4) / 5 )) ] || fail "too many re-sends ($resent in $t trials)"
echo "all ok"
