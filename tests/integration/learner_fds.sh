#!/bin/bash
# The daemon's training child (guichet run forks `learn` in-process) holds
# none of the daemon's IMAP or SMTP sockets: the sockets are close-on-exec,
# but the child does not exec, and a connection the daemon gives up (or a
# daemon killed) must end at once, not when the training does.
# model.retrain_after = 1 and one correction make the daemon start a
# training while its IMAP connection and the SMTP connection of the reply
# it just sent are open.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GUICHET=${GUICHET:-$ROOT/guichet}
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/learner-fds.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=31900
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; rm -rf "$W"' EXIT

stack_start || fail "mail stack"
write_config "$W/guichet.conf"
printf 'model = {\n\tretrain_after = 1;\n};\n' >> "$W/guichet.conf"
"$GUICHET" --config "$W/guichet.conf" learn > "$W/learn.log" 2>&1 || fail "learn: $(tail -3 "$W/learn.log")"
daemon_start
wait_for grep -q "connected, watching INBOX" "$W/daemon.log" || fail "daemon did not connect"
make_eml "$W/m1.eml" "Person 1" "p1@senders.test" "Cours de français" \
	"Bonjour, je voudrais m'inscrire à un cours de français pour adultes. Merci."
send_eml "$W/m1.eml" || fail "send"
acked() { [ "$(acks_to p1@senders.test)" -ge 1 ]; }
wait_for acked || fail "no acknowledgment"
ref=$(sql "SELECT ref FROM requests LIMIT 1")
[ -n "$ref" ] || fail "no request stored"
"$GUICHET" --config "$W/guichet.conf" label "$ref" domain=formation_emploi > "$W/label.log" 2>&1 ||
	fail "label: $(cat "$W/label.log")"
child=
has_child() { child=$(pgrep -P "$DAEMON_PID" | head -1); [ -n "$child" ]; }
WAIT_S=30 wait_for has_child || fail "no training started after a correction"
socks() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c 'socket:'; }
ds=$(socks "$DAEMON_PID")
cs=$(socks "$child")
# the child may end before its fds are read: then it held nothing either
[ "$ds" -ge 1 ] || fail "the daemon holds no socket ($ds): the check would prove nothing"
[ "$cs" = 0 ] || fail "the training child holds $cs of the daemon's sockets ($ds)"
ok "training child holds no socket (the daemon: $ds)"
daemon_stop || fail "SIGTERM exit"
ok "stopped"
