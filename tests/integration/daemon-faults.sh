#!/bin/bash
# Faults on the real stack: Dovecot restarted mid-run (the daemon reconnects
# with backoff and loses nothing); the contact folder re-created with a new
# UIDVALIDITY and its old messages back in it (no duplicate request, no
# second acknowledgment); the store locked by another writer (nothing is
# moved until the message is stored); replies in the Sent folder mark
# requests answered.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/daemon-faults.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=33000
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; rm -rf "$W"' EXIT

stack_start || fail "mail stack"
write_config "$W/guichet.conf"
daemon_start
wait_for grep -q "connected, watching" "$W/daemon.log" || fail "daemon did not connect"

msg() {	# i: make and send request i from f$i@senders.test
	make_eml "$W/f$1.eml" "Person $1" "f$1@senders.test" "Demande $1" \
		"Bonjour, je cherche un cours de français à Sierre. Message $1." "f$1.$$@senders.test"
	send_eml "$W/f$1.eml" || fail "send $1"
}
acked() { local i; for i in "$@"; do [ "$(acks_to "f$i@senders.test")" -ge 1 ] || return 1; done; }

# 1. Dovecot restarted mid-run; messages arrive while it is down.
for i in 1 2 3; do msg $i; done
wait_for acked 1 2 3 || fail "first three not answered"
"$ROOT/tests/mailstack.sh" stop imap
for i in 4 5 6; do msg $i; done	# Exim queues them until Dovecot is back
sleep 2
"$ROOT/tests/mailstack.sh" start imap >/dev/null || fail "restart dovecot"
WAIT_S=45 wait_for acked 4 5 6 || fail "not answered after Dovecot's restart"
grep -q "retrying in" "$W/daemon.log" || fail "no reconnect logged"
[ "$(grep -c "connected, watching" "$W/daemon.log")" -ge 2 ] || fail "did not reconnect"
[ "$(sql "SELECT count(*) FROM requests")" = 6 ] || fail "requests: $(sql "SELECT count(*) FROM requests")"
ok "Dovecot restart: reconnected, 6 requests, nothing lost"

# 2. The folder re-created with a new UIDVALIDITY, its old messages back in it.
daemon_stop || fail "SIGTERM"
old_uv=$(sql "SELECT uidvalidity FROM mailboxes WHERE name = 'INBOX'")
"$ROOT/tests/mailstack.sh" stop imap
M="$MAILSTACK_DIR/mail/contact/Maildir"
mv "$M"/.Guichet.Traites/cur/* "$M"/.Guichet.Traites/new/* "$M/cur/" 2>/dev/null
rm -f "$M"/dovecot-uidlist "$M"/dovecot.index* "$M"/.Guichet.Traites/dovecot-uidlist "$M"/.Guichet.Traites/dovecot.index*
sleep 1	# Dovecot derives a new UIDVALIDITY from the clock
"$ROOT/tests/mailstack.sh" start imap >/dev/null || fail "restart dovecot"
[ "$(count contact INBOX)" = 6 ] || fail "old messages not back in INBOX: $(count contact INBOX)"
msg 7
inbox7() { [ "$(count contact INBOX)" = 7 ]; }
wait_for inbox7 || fail "message 7 not delivered"
daemon_start
WAIT_S=30 wait_for acked 7 || fail "message 7 not answered"
emptied() { [ "$(count contact INBOX)" = 0 ]; }
wait_for emptied || fail "INBOX not emptied"
new_uv=$(sql "SELECT uidvalidity FROM mailboxes WHERE name = 'INBOX'")
[ "$new_uv" != "$old_uv" ] || fail "UIDVALIDITY did not change ($old_uv)"
grep -q "UIDVALIDITY changed" "$W/daemon.log" || fail "UIDVALIDITY change not logged"
[ "$(sql "SELECT count(*) FROM requests")" = 7 ] || fail "duplicates: $(sql "SELECT count(*) FROM requests") requests"
[ "$(sql "SELECT count(*) FROM outbox")" = 7 ] || fail "outbox rows: $(sql "SELECT count(*) FROM outbox")"
sleep 1	# a wrong second acknowledgment would need a moment to arrive
for i in 1 2 3 4 5 6 7; do
	[ "$(acks_to "f$i@senders.test")" = 1 ] || fail "f$i answered $(acks_to "f$i@senders.test") times"
done
ok "new UIDVALIDITY ($old_uv -> $new_uv): re-scanned, 6 duplicates recognised, no second acknowledgment"

# 3. The store locked by another writer: message 8 waits, is not moved, then goes through.
python3 - "$W/guichet.db" <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
time.sleep(14)
c.execute("ROLLBACK")
EOF
LOCKER=$!
sleep 0.5
msg 8
sleep 3
[ "$(count contact INBOX)" = 1 ] || fail "message 8 moved while the store was locked"
[ "$(acks_to f8@senders.test)" = 0 ] || fail "answered while the store was locked"
wait "$LOCKER"
WAIT_S=40 wait_for acked 8 || fail "message 8 not answered after the lock"
wait_for emptied || fail "message 8 not moved after the lock"
[ "$(sql "SELECT count(*) FROM requests")" = 8 ] || fail "requests after lock: $(sql "SELECT count(*) FROM requests")"
ok "store locked: nothing moved, processed once it was free"

# 4. Replies in the Sent folder (IMAP APPEND) mark requests answered.
ref() { sql "SELECT r.ref FROM requests r JOIN messages m ON m.request_id = r.id WHERE m.message_id = 'f$1.$$@senders.test'"; }
r1=$(ref 1) r2=$(ref 2) r3=$(ref 3)
sql "UPDATE requests SET status = 'closed', closed = strftime('%s') WHERE ref = '$r3'"
append() {	# subject in-reply-to
	python3 - "$1" "$2" <<'EOF'
import imaplib, os, ssl, sys, time
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "contact@example.test"; m["To"] = "someone@senders.test"
m["Subject"] = sys.argv[1]; m["Date"] = "Fri, 27 Nov 2026 10:00:00 +0000"
m["Message-ID"] = "<sent.%f@example.test>" % time.time()
if sys.argv[2]:
    m["In-Reply-To"] = "<%s>" % sys.argv[2]
m.set_content("Bonjour,\nvoici la réponse.\n")
c = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
c.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
c.login("contact", open(os.environ["MAILSTACK_PWDIR"] + "/contact").read().strip())
c.append("Sent", "\\Seen", None, m.as_bytes())
c.logout()
EOF
}
append "Re: votre demande [$r1]" ""
append "Re: Demande 2" "f2.$$@senders.test"
append "Fwd: Demande 4 [$(ref 4)]" ""
append "Re: Demande 3 [$r3]" ""
append "Une autre affaire" ""
status_is() { [ "$(sql "SELECT status FROM requests WHERE ref = '$1'")" = "$2" ]; }
WAIT_S=30 wait_for status_is "$r1" answered || fail "reference in subject: $r1 not answered"
wait_for status_is "$r2" answered || fail "In-Reply-To: $r2 not answered"
# all five read (the last ones may come in after a look at the folder)
sent_at() { [ "$(sql "SELECT last_uid FROM mailboxes WHERE name = 'Sent'")" = "$1" ]; }
wait_for sent_at 5 || fail "Sent position: $(sql "SELECT last_uid FROM mailboxes WHERE name = 'Sent'")"
status_is "$(ref 4)" open || fail "a forward marked $(ref 4) answered"
status_is "$r3" closed || fail "closed request changed status"
[ -n "$(sql "SELECT answered FROM requests WHERE ref = '$r3'")" ] || fail "closed request has no answer time"
[ "$(sql "SELECT answered FROM requests WHERE ref = '$r1'")" -ge "$(sql "SELECT created FROM requests WHERE ref = '$r1'")" ] || fail "answered before created"
[ "$(sql "SELECT count(*) FROM events WHERE kind = 'answered'")" = 3 ] || fail "answered events: $(sql "SELECT count(*) FROM events WHERE kind = 'answered'")"
ok "Sent folder: reference and In-Reply-To mark answered, forwards do not, closed stays closed"
daemon_stop || fail "SIGTERM"

# 5. A message on which guichet died three times in a row is set aside unread.
msg 9
inbox1() { [ "$(count contact INBOX)" = 1 ]; }
wait_for inbox1 || fail "message 9 not delivered"
uid9=$(python3 - <<'EOF'
import imaplib, os, ssl
c = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
c.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
c.login("contact", open(os.environ["MAILSTACK_PWDIR"] + "/contact").read().strip())
c.select("INBOX", readonly=True)
print(c.uid("SEARCH", None, "ALL")[1][0].decode().split()[-1])
EOF
)
uv=$(sql "SELECT uidvalidity FROM mailboxes WHERE name = 'INBOX'")
# Two deaths from outside (no crash mark) count nothing toward it...
sql "INSERT OR REPLACE INTO meta(key, value) VALUES('inflight:INBOX', '$uv:$uid9:0:1:2')"
ulimit -c 0
# ...three real crashes on it do: GUICHET_TEST_CRASH makes the daemon crash
# on the message as a parser bug would (SIGSEGV raised inside guichet).
for i in 1 2 3; do
	GUICHET_TEST_CRASH="Demande 9" "$GUICHET" --config "$W/guichet.conf" run --once \
	    >>"$W/daemon.log" 2>&1 && fail "crash $i: run --once did not crash"
	[ -s "$W/guichet.db.crash" ] || fail "crash $i: no crash mark"
done
[ "$(sql "SELECT count(*) FROM messages WHERE uid = $uid9 AND uidvalidity = $uv")" = 0 ] ||
    fail "message 9 stored before the third crash"
GUICHET_TEST_CRASH="Demande 9" "$GUICHET" --config "$W/guichet.conf" run --once >>"$W/daemon.log" 2>&1 || fail "run --once"
[ "$(sql "SELECT status FROM messages WHERE uid = $uid9 AND uidvalidity = $uv")" = quarantined ] || fail "message 9 not quarantined"
[ "$(count contact Guichet/Quarantaine)" = 1 ] || fail "message 9 not in Guichet/Quarantaine"
[ -n "$(sql "SELECT length(raw) FROM messages WHERE uid = $uid9 AND uidvalidity = $uv")" ] || fail "raw bytes not kept"
sleep 1
[ "$(acks_to f9@senders.test)" = 0 ] || fail "message 9 answered"
grep -q "crashed 3 times" "$W/daemon.log" || fail "crash guard not logged"
ok "a message on which guichet crashed 3 times is quarantined unread, raw kept; kills from outside did not count"

# After an upgrade (here: marked as set aside by an older version) it is
# tried once more from its stored bytes: stored as a request and answered.
[ "$(sql "SELECT set_aside_by FROM messages WHERE uid = $uid9 AND uidvalidity = $uv")" != "" ] ||
    fail "message 9 not marked as set aside"
sql "UPDATE messages SET set_aside_by = '0.0.1' WHERE uid = $uid9 AND uidvalidity = $uv"
"$GUICHET" --config "$W/guichet.conf" run --once >>"$W/daemon.log" 2>&1 || fail "run --once after the upgrade"
[ "$(sql "SELECT count(*) FROM messages WHERE message_id LIKE 'f9.%' AND status = 'stored'")" = 1 ] ||
    fail "message 9 not stored after the upgrade"
[ "$(sql "SELECT count(*) FROM messages WHERE uid = $uid9 AND uidvalidity = $uv AND status = 'quarantined'")" = 0 ] ||
    fail "the set-aside row is still there"
acked9() { [ "$(acks_to f9@senders.test)" = 1 ]; }
wait_for acked9 || fail "message 9 not answered after the upgrade"
"$GUICHET" --config "$W/guichet.conf" run --once >>"$W/daemon.log" 2>&1 || fail "run --once again"
sleep 1
[ "$(acks_to f9@senders.test)" = 1 ] || fail "message 9 answered twice"
grep -q "tried again by" "$W/daemon.log" || fail "retry not logged"
ok "after an upgrade, the set-aside message is tried once more: stored and answered once"

# 6. The SMTP server away: the request is stored and moved, the outbox waits
# with backoff (no knocking every second) and is sent once the server is back.
"$ROOT/tests/mailstack.sh" stop smtp
daemon_start
python3 - "$W/f10.eml" <<'EOF' || fail "append message 10"
import imaplib, os, ssl, sys, time
c = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
c.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
c.login("contact", open(os.environ["MAILSTACK_PWDIR"] + "/contact").read().strip())
body = ("From: Person 10 <f10@senders.test>\r\nTo: contact@example.test\r\nSubject: Demande 10\r\n"
        "Message-ID: <f10.%f@senders.test>\r\nDate: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n"
        "Bonjour, je cherche un cours de langue.\r\n" % time.time()).encode()
c.append("INBOX", None, None, body)
c.logout()
EOF
queued10() { [ "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 1 ]; }
wait_for queued10 || fail "message 10 not stored and queued"
sleep 6
tries=$(grep -c "outbox: smtp" "$W/daemon.log")
[ "$tries" -le 3 ] || fail "$tries SMTP attempts in 6 s: no backoff"
"$ROOT/tests/mailstack.sh" start smtp >/dev/null || fail "restart exim"
WAIT_S=30 wait_for acked 10 || fail "message 10 not answered after the SMTP server came back"
ok "SMTP server away: stored, $tries attempt(s) in 6 s, answered once it was back"

# 7. A long Sent history is read in batches; the last reply is found.
r4=$(ref 4)
python3 - "$r4" <<'EOF' || fail "append history"
import imaplib, os, ssl, sys
c = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
c.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
c.login("contact", open(os.environ["MAILSTACK_PWDIR"] + "/contact").read().strip())
for i in range(250):
    c.append("Sent", None, None, ("From: contact@example.test\r\nTo: x@senders.test\r\n"
        "Subject: Autre affaire %d\r\nMessage-ID: <h%d@example.test>\r\n\r\nTexte.\r\n" % (i, i)).encode())
c.append("Sent", None, None, ("From: contact@example.test\r\nTo: f4@senders.test\r\n"
    "Subject: Re: Demande 4 [%s]\r\nMessage-ID: <h-last@example.test>\r\n\r\nReponse.\r\n" % sys.argv[1]).encode())
c.logout()
EOF
WAIT_S=40 wait_for status_is "$r4" answered || fail "the reply after 250 others did not mark $r4 answered"
wait_for sent_at 256 || fail "Sent position $(sql "SELECT last_uid FROM mailboxes WHERE name = 'Sent'")"
daemon_stop || fail "SIGTERM"
ok "251 new messages in Sent read in batches, the reply among them found"
echo "all ok"
