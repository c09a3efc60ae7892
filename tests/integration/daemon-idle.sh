#!/bin/bash
# guichet run on the real mail stack: requests sent by SMTP while the daemon
# idles are answered (latency printed); a second instance is refused; a
# message too large is quarantined without blocking the next; SIGHUP with a
# broken configuration keeps the old one; SIGTERM exits 0; polling without
# IDLE; run --once in "flag" mode leaves the message flagged in place.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/daemon-idle.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=31000
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; rm -rf "$W"' EXIT

stack_start || fail "mail stack"
write_config "$W/guichet.conf" maxsize=64K
daemon_start
wait_for grep -q "connected, watching INBOX with IDLE" "$W/daemon.log" || fail "daemon did not connect"
ok "connected with IDLE"

# 1. Requests while idling: each answered; latency from SMTP to the ack captured.
lat=""
for i in 1 2 3 4 5; do
	make_eml "$W/m$i.eml" "Person $i" "p$i@senders.test" "Demande $i: cours de français" \
		"Bonjour, je voudrais m'inscrire à un cours de français pour adultes. Merci, personne $i."
	t0=$(date +%s.%N)
	send_eml "$W/m$i.eml" || fail "send $i"
	acked() { [ "$(acks_to "p$i@senders.test")" -ge 1 ]; }
	wait_for acked || fail "no acknowledgment for message $i"
	t1=$(date +%s.%N)
	lat="$lat $(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.2f", a - b }')"
done
median=$(printf '%s\n' $lat | sort -n | sed -n 3p)
ok "5 requests answered while idling; SMTP-to-acknowledgment latencies:$lat (median $median s)"
[ "$(sql "SELECT count(*) FROM requests")" = 5 ] || fail "5 requests expected"
[ "$(count contact INBOX)" = 0 ] || fail "INBOX should be empty (moved)"
[ "$(count contact Guichet/Traites)" = 5 ] || fail "5 messages in Guichet/Traites"
ok "stored and moved"

# 2. A second instance on the same store is refused.
out=$("$GUICHET" --config "$W/guichet.conf" run --once 2>&1); rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "already running" || fail "second instance: rc=$rc: $out"
ok "second instance refused: $out"

# 3. A message over max_message_size is quarantined; the next is processed.
{ printf 'From: Big <big@senders.test>\nTo: contact@example.test\nSubject: gros fichier\nMessage-ID: <big.%s@senders.test>\nDate: %s\n\n' "$RANDOM" "$(date -R)"
  head -c 200000 /dev/zero | tr '\0' 'x' | fold -w 76; } > "$W/big.eml"
send_eml "$W/big.eml" || fail "send big"
make_eml "$W/after.eml" "After" after@senders.test "Logement" "Bonjour, je cherche un appartement à Chippis."
send_eml "$W/after.eml"
acked_after() { [ "$(acks_to after@senders.test)" -ge 1 ]; }
wait_for acked_after || fail "message after the quarantined one not answered"
quarantined() { [ "$(count contact Guichet/Quarantaine)" = 1 ]; }
wait_for quarantined || fail "big message not in Guichet/Quarantaine"
[ "$(sql "SELECT count(*) FROM messages WHERE status = 'quarantined'")" = 1 ] || fail "quarantine row"
[ "$(acks_to big@senders.test)" = 0 ] || fail "quarantined message answered"
grep -q "quarantined" "$W/daemon.log" || fail "quarantine not logged"
ok "too large message quarantined, the next one answered"

# 4. SIGHUP with a broken configuration: refused, the old one keeps running.
cp "$W/guichet.conf" "$W/guichet.conf.good"
echo "this is { not libconfig" >> "$W/guichet.conf"
kill -HUP "$DAEMON_PID"
wait_for grep -q "reload refused" "$W/daemon.log" || fail "broken reload not refused"
make_eml "$W/hup.eml" "Hup" hup@senders.test "Travail" "Bonjour, je cherche du travail."
send_eml "$W/hup.eml"
acked_hup() { [ "$(acks_to hup@senders.test)" -ge 1 ]; }
wait_for acked_hup || fail "not answered after a refused reload"
cp "$W/guichet.conf.good" "$W/guichet.conf"
kill -HUP "$DAEMON_PID"
wait_for grep -q "reload done" "$W/daemon.log" || fail "good reload"
reconnected() { sed -n '/reload done/,$p' "$W/daemon.log" | grep -q "connected, watching"; }
wait_for reconnected || fail "no reconnect after reload"
ok "SIGHUP: broken set refused and logged, good set loaded"

# 5. SIGTERM: exit 0.
kill -TERM "$DAEMON_PID"; wait "$DAEMON_PID"; rc=$?; DAEMON_PID=
[ "$rc" = 0 ] || fail "SIGTERM exit status $rc"
ok "SIGTERM exits 0"

# 6. Without IDLE: polling every poll_interval.
write_config "$W/guichet.conf" idle=false poll=5
daemon_start
wait_for grep -q "watching INBOX with polling" "$W/daemon.log" || fail "polling mode"
make_eml "$W/poll.eml" "Poll" poll@senders.test "Santé" "Bonjour, je cherche un médecin."
send_eml "$W/poll.eml"
acked_poll() { [ "$(acks_to poll@senders.test)" -ge 1 ]; }
WAIT_S=15 wait_for acked_poll || fail "polling mode did not answer"
daemon_stop || fail "SIGTERM in polling mode"
ok "polling without IDLE"

# 7. systemd notifications: READY, STATUS, WATCHDOG (a fake NOTIFY_SOCKET).
python3 - "$W/notify.sock" "$W/notify.log" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(12)
end = time.time() + 12
with open(sys.argv[2], "w") as out:
    while time.time() < end:
        try:
            out.write(s.recv(4096).decode() + "\n---\n"); out.flush()
        except socket.timeout:
            break
EOF
LISTENER=$!
write_config "$W/guichet.conf"
bound() { [ -S "$W/notify.sock" ]; }
wait_for bound || fail "notify listener"
NOTIFY_SOCKET="$W/notify.sock" WATCHDOG_USEC=2000000 daemon_start
sleep 3.5
daemon_stop || fail "SIGTERM with notify socket"
sleep 0.5	# let the listener read the last datagrams
kill "$LISTENER" 2>/dev/null; wait "$LISTENER" 2>/dev/null
grep -q "^READY=1" "$W/notify.log" || fail "no READY=1: $(cat "$W/notify.log")"
grep -q "^STATUS=connected, last message: .*, outbox: 0 queued" "$W/notify.log" || fail "no STATUS: $(cat "$W/notify.log")"
[ "$(grep -c "^WATCHDOG=1" "$W/notify.log")" -ge 3 ] || fail "watchdog not fed every second: $(cat "$W/notify.log")"
grep -q "^STOPPING=1" "$W/notify.log" || fail "no STOPPING=1"
ok "sd_notify: READY, STATUS ($(grep -m1 '^STATUS=' "$W/notify.log")), WATCHDOG, STOPPING"

# 8. run --once, after = "flag": the message stays in INBOX with the keyword.
write_config "$W/guichet.conf" after=flag
make_eml "$W/flag.eml" "Flag" flag@senders.test "École" "Bonjour, comment inscrire mon enfant à l'école ?"
send_eml "$W/flag.eml"
inbox1() { [ "$(count contact INBOX)" = 1 ]; }
wait_for inbox1 || fail "flag message not delivered"
"$GUICHET" --config "$W/guichet.conf" run --once >>"$W/daemon.log" 2>&1 || fail "run --once"
acked_flag() { [ "$(acks_to flag@senders.test)" -ge 1 ]; }
wait_for acked_flag || fail "flag mode: no acknowledgment"
flags=$(python3 - <<'EOF'
import imaplib, os, ssl
m = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
m.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
m.login("contact", open(os.environ["MAILSTACK_PWDIR"] + "/contact").read().strip())
m.select("INBOX", readonly=True)
print(m.fetch("1", "(FLAGS)")[1][0].decode())
EOF
)
echo "$flags" | grep -q '\$Guichet' || fail "keyword not set: $flags"
echo "$flags" | grep -q 'Seen' && fail "\\Seen was set: $flags"
"$GUICHET" --config "$W/guichet.conf" run --once >>"$W/daemon.log" 2>&1 || fail "second run --once"
sleep 1
[ "$(acks_to flag@senders.test)" = 1 ] || fail "flag mode: answered twice"
ok "run --once with after=flag: flagged in place, not \\Seen, answered once"
echo "all ok"
