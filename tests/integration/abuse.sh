#!/bin/bash
# abuse.sh: the contact address is public; tried as an attacker would
# (issue 17), on the project's mail stack:
#   1. a forged Reply-To to a third party gets no mail there, and the reply
#      repeats no link or address of the attacker's;
#   2. ten plus-addressed variants of one address get at most the cap;
#   3. a From that is a group, or an encoded word hiding "Bcc: x@y", gets
#      no reply and a stored reason;
#   4. a valid 9 MB message with three SIGKILLs during its processing is
#      stored and acknowledged on the fourth start;
#   5. a second installation on the same mailbox refuses and says why;
#      `check --connect` names the holder; a stale claim is taken over.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/abuse.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=$(( (RANDOM % 50 + 12) * 1000 + 500 ))
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; rm -rf "$W"' EXIT

stack_start || fail "mail stack"
write_config "$W/guichet.conf"
sed -i 's/replies_per_sender_per_day = 1000;/replies_per_sender_per_day = 3;/' "$W/guichet.conf"
grep -q 'replies_per_sender_per_day = 3;' "$W/guichet.conf" || fail "cap not set"
# The reply cap alone: the flood rule (guichet-kinds(7)) would join the plus
# variants of one sender to their fifth request.
sed -i 's/replies_per_hour = 100000;/replies_per_hour = 100000;\n\tflood_requests = 0;/' "$W/guichet.conf"
grep -q 'flood_requests = 0;' "$W/guichet.conf" || fail "flood rule not turned off"
captured_to() {	# ERE of the Envelope-to address: how many mails
	grep -l -i -E -x "Envelope-to: $1" "$MAILSTACK_CAPTURED"/new/* 2>/dev/null | wc -l
}
stored() { [ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" -ge "$1" ]; }
queue_empty() { [ "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 0 ]; }

# 1. Forged Reply-To, URL and address in the subject and the display name.
cat > "$W/forged.eml" <<EOF
From: "WINNER! Claim your prize at http://phish.example/login" <attacker@h6.test>
Reply-To: <target@victim.test>
To: contact@example.test
Subject: Claim your prize at http://phish.example/login or write to win@phish.example
Date: $(date -R)
Message-ID: <forged.$$@h6.test>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour, je cherche un cours de français à Sierre.
EOF
send_eml "$W/forged.eml" attacker@h6.test || fail "send forged"

# 2. Ten plus-addressed variants of one address.
for i in 0 1 2 3 4 5 6 7 8 9; do
	make_eml "$W/plus$i.eml" "Plus $i" "Plus+$i@H6.test" "Demande $i" \
	    "Bonjour, je cherche un logement à Chippis. Message $i."
	send_eml "$W/plus$i.eml" "Plus+$i@H6.test" || fail "send plus $i"
done

# 3. A group From, and an encoded word that GMime would read as a group.
cat > "$W/group.eml" <<EOF
From: Amis: g1@h7.test, g2@h7.test;
To: contact@example.test
Subject: Demande de groupe
Date: $(date -R)
Message-ID: <group.$$@h7.test>

Bonjour, je cherche un cours de français.
EOF
send_eml "$W/group.eml" g1@h7.test || fail "send group"
cat > "$W/encoded.eml" <<EOF
From: =?utf-8?Q?Bcc:_evil1@x.test=0D=0Ax-inj1?= <g3@h7.test>
To: contact@example.test
Subject: Demande encodée
Date: $(date -R)
Message-ID: <encoded.$$@h7.test>

Bonjour, je cherche un cours de français.
EOF
send_eml "$W/encoded.eml" g3@h7.test || fail "send encoded"

"$GUICHET" --config "$W/guichet.conf" run --once >>"$W/daemon.log" 2>&1 || fail "run --once"
WAIT_S=30 wait_for stored 13 || fail "only $(sql "SELECT count(*) FROM messages") of 13 stored"
WAIT_S=30 wait_for queue_empty || fail "outbox not sent"
sleep 1

[ "$(captured_to 'target@victim\.test')" = 0 ] || fail "the forged Reply-To got mail"
[ "$(captured_to 'attacker@h6\.test')" = 1 ] || fail "the From of the forged mail got no acknowledgment"
ack=$(grep -l -i -x "Envelope-to: attacker@h6.test" "$MAILSTACK_CAPTURED"/new/*)
python3 - "$ack" <<'EOF' || fail "the acknowledgment repeats attacker text"
import email, sys
from email import policy
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=policy.default)
text = str(m["Subject"]) + str(m["To"]) + "".join(p.get_content() for p in m.walk()
                                                  if p.get_content_type() == "text/plain")
for bad in ("phish", "http://", "win@", "WINNER"):
    if bad in text:
        print("found %r in the acknowledgment" % bad)
        sys.exit(1)
EOF
why=$(sql "SELECT r.reply_reason FROM requests r JOIN messages m ON m.request_id = r.id
           WHERE m.message_id = 'forged.$$@h6.test'")
case "$why" in *Reply-To*) ;; *) fail "no stored reason for leaving the Reply-To aside: $why" ;; esac
ok "forged Reply-To: nothing to target@victim.test, the From got a reply without link, address or name ($why)"

plus=$(captured_to 'plus\+[0-9]@h6\.test')
[ "$plus" -le 3 ] && [ "$plus" -ge 1 ] || fail "plus variants got $plus acknowledgments, cap 3"
capped=$(sql "SELECT count(*) FROM requests WHERE reply = 'none' AND reply_reason LIKE 'sender cap%'")
[ "$capped" = $((10 - plus)) ] || fail "$capped refusals stored with the cap as reason, want $((10 - plus))"
ok "10 plus-addressed variants: $plus acknowledgments (cap 3), $capped refusals stored with their reason"

for id in group encoded; do
	row=$(sql "SELECT r.reply || '|' || r.reply_reason FROM requests r JOIN messages m ON
	    m.request_id = r.id WHERE m.message_id = '$id.$$@h7.test'")
	case "$row" in none\|*From*) ;; *) fail "$id From: want no reply with a reason, got $row" ;; esac
done
[ "$(captured_to '.*@h7\.test')" = 0 ] || fail "a group From got mail"
[ "$(captured_to '.*x\.test.*')" = 0 ] || fail "mail to the encoded address"
ok "group From and encoded 'Bcc:' display name: no reply, reason stored"

# 4. A valid 9 MB message, killed three times while it is processed.
python3 - "$W/big.eml" <<'EOF'
import sys, time
line = "Bonjour, je cherche un logement et un cours de français pour ma famille à Sion.\n"
body = line * (9 * 1024 * 1024 // len(line))
open(sys.argv[1], "w").write(
    "From: Grande Lettre <big@h8.test>\nTo: contact@example.test\nSubject: Dossier complet\n"
    "Date: %s\nMessage-ID: <big.%d@h8.test>\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s"
    % (time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime()), time.time(), body))
EOF
send_eml "$W/big.eml" big@h8.test || fail "send 9 MB"
inbox1() { [ "$(count contact INBOX)" = 1 ]; }
wait_for inbox1 || fail "9 MB message not delivered"
n0=$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")
in_flight() {	# the daemon has noted the message and is working on it
	local v
	v=$(sql "SELECT value FROM meta WHERE key = 'inflight:INBOX'")
	[ "$(echo "$v" | cut -d: -f4)" = "$DAEMON_PID" ]
}
late=0
for k in 1 2 3; do
	daemon_start
	WAIT_S=30 wait_for in_flight || fail "kill $k: the daemon never started on the message"
	daemon_kill
	[ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" = "$n0" ] ||
	    { echo "# kill $k came after the commit"; late=1; break; }	# nothing left in flight
done
mark=$(wc -l < "$W/daemon.log")
daemon_start
WAIT_S=60 wait_for stored $((n0 + 1)) || fail "9 MB message not stored on the fourth start"
[ "$(sql "SELECT status FROM messages WHERE message_id LIKE 'big.%'")" = stored ] ||
    fail "9 MB message: $(sql "SELECT status || ' ' || reason FROM messages WHERE message_id LIKE 'big.%'")"
acked_big() { [ "$(captured_to 'big@h8\.test')" = 1 ]; }
WAIT_S=30 wait_for acked_big || fail "9 MB message not acknowledged"
[ "$late" = 1 ] || grep -q "processed again after 0 crash(es) of guichet and 3 stop(s) from outside" \
    "$W/daemon.log" || fail "the crash guard did not count three stops from outside"
ok "9 MB message, 3 SIGKILLs during its processing: stored and acknowledged on the fourth start"

# 5. A second installation (its own store) on the same mailbox.  The
# running daemon must hold the claim first: when the last kill came after
# the commit, the message was stored (and maybe acknowledged) by a killed
# daemon, and the new one may not have connected yet.
claimed() { tail -n "+$((mark + 1))" "$W/daemon.log" | grep -q "connected, watching"; }
WAIT_S=30 wait_for claimed || fail "the daemon never connected after the fourth start"
sed -e "s|$W/guichet.db|$W/other.db|" "$W/guichet.conf" > "$W/other.conf"
rc=0
"$GUICHET" --config "$W/other.conf" run --once > "$W/other.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "second installation: exit $rc, want 1: $(cat "$W/other.out")"
grep -q "held by another guichet installation (instance .* on host .*store $W/guichet.db" "$W/other.out" ||
    fail "second installation does not say why: $(cat "$W/other.out")"
[ "$(sqlite3 "$W/other.db" "SELECT count(*) FROM messages" 2>/dev/null || echo 0)" = 0 ] ||
    fail "second installation processed messages"
"$GUICHET" --config "$W/other.conf" check --connect > "$W/check.out" 2>&1 || fail "check --connect"
grep -q "imap claim: INBOX is held by guichet instance .*store $W/guichet.db" "$W/check.out" ||
    fail "check --connect does not name the holder: $(cat "$W/check.out")"
ok "a second installation refuses the mailbox and names the holder; check --connect too"

# the holder killed on this host: its process is gone, its claim with it
daemon_kill
"$GUICHET" --config "$W/other.conf" run --once > "$W/other.out" 2>&1 ||
    fail "claim of a killed daemon on this host blocked: $(cat "$W/other.out")"
ok "a claim whose daemon was killed on this host is taken over at once"

: > "$W/daemon.log"
daemon_start
claimed() { grep -q "connected, watching" "$W/daemon.log"; }
wait_for claimed || fail "first installation did not start again"
daemon_stop || fail "SIGTERM"
"$GUICHET" --config "$W/other.conf" check --connect > "$W/check.out" 2>&1 || fail "check --connect"
grep -q "imap claim: none" "$W/check.out" || fail "claim not released on stop: $(cat "$W/check.out")"
# a stale claim (a daemon killed long ago) does not block
python3 - <<'EOF' || fail "append stale marker"
import imaplib, os, ssl, time
c = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
c.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
c.login("contact", open(os.environ["MAILSTACK_PWDIR"] + "/contact").read().strip())
m = ("From: guichet <contact@example.test>\r\nSubject: guichet stale\r\n"
     "X-Guichet-Instance: 0000stale0000\r\nX-Guichet-Host: gone\r\nX-Guichet-Pid: 1\r\n"
     "X-Guichet-Store: /nowhere.db\r\nX-Guichet-Heartbeat: %d\r\n\r\nold\r\n" % (time.time() - 3600))
c.append("Guichet/Instance", None, None, m.encode())
c.logout()
EOF
"$GUICHET" --config "$W/other.conf" run --once > "$W/other.out" 2>&1 || fail "stale claim blocked: $(cat "$W/other.out")"
[ "$(count contact Guichet/Instance)" = 0 ] || fail "stale or own marker left behind"
ok "a stale claim is taken over; a clean stop releases the claim"
echo "1..6"
