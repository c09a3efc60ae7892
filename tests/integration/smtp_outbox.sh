#!/bin/bash
# smtp_outbox: `guichet send` against the project's mail stack, with outbox
# rows written straight into a store the binary created: delivery with the
# envelope sender <>, 5xx -> failed with the answer, 4xx -> retried later,
# SMTP server down -> nothing lost and nothing sent twice after restart,
# two concurrent senders, certificates from an unknown CA and for another
# host name refused before any password is sent, implicit TLS.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start smtp_outbox

ERR="$MT_DIR/err"
# queue ID FROM RCPT [SUBJECT]: an outbox row with a small message
queue() {
	local f="$MT_DIR/m$1.eml"
	printf 'From: Commune <contact@example.test>\nTo: %s\nSubject: %s\nDate: Fri, 27 Nov 2026 10:00:00 +0100\nMessage-ID: <out%s@guichet.test>\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nBonjour,\n.\n..deux points\nmerci =C3=A0 vous\n' \
		"$3" "${4:-test $1}" "$1" > "$f"
	mt_sql "INSERT INTO outbox(kind, message_id, mail_from, rcpt, data, created)
		VALUES('ack', 'out$1@guichet.test', '$2', '$3', readfile('$f'), strftime('%s','now'))"
}
status_of() { mt_sql "SELECT status FROM outbox WHERE message_id = 'out$1@guichet.test'"; }

mt_conf_set 's|helo = "localhost";|helo = "guichet-h.example.test";|'
# 1. empty outbox: the store is created, nothing to do
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "send on an empty outbox exits 0" 0 $?
mt_check "store created by the binary" test -f "$MT_DB"
mt_check "says nothing was sent" grep -q "sent 0" "$MT_DIR/out"

# 2. delivery, <> envelope, permanent and temporary failures
mt_sql "INSERT INTO requests(ref, created, updated) VALUES('CHI-2026-0001', 1, 1)"
queue 1 "" alice@example.test "Re: Demande [CHI-2026-0001]"
queue 2 "contact@example.test" bob@example.test
queue 3 "" reject@example.test
queue 4 "" tempfail@example.test
mt_sql "UPDATE outbox SET request_id = 1"
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "send exits 0 when the server was reached" 0 $?
mt_check "prints the counts" grep -q "sent 2, failed 1, still queued 1" "$MT_DIR/out"
mt_eq "row to alice sent" sent "$(status_of 1)"
mt_eq "row to bob sent" sent "$(status_of 2)"
mt_eq "row to reject failed" failed "$(status_of 3)"
mt_check "failure keeps the server's answer" test \
	"$(mt_sql "SELECT last_answer FROM outbox WHERE message_id='out3@guichet.test'")" = "550 refused by policy"
mt_check "failure logged as an event" test \
	"$(mt_sql "SELECT count(*) FROM events WHERE kind='failed' AND detail LIKE '%550%'")" = 1
mt_eq "4xx stays queued" queued "$(status_of 4)"
mt_check "4xx retried later (backoff 45-75 s)" test \
	"$(mt_sql "SELECT next_attempt - strftime('%s','now') BETWEEN 40 AND 76 AND attempts = 1 FROM outbox WHERE message_id='out4@guichet.test'")" = 1
mt_check "sent time recorded" test \
	"$(mt_sql "SELECT count(*) FROM outbox WHERE status='sent' AND sent > 0")" = 2
tests_dir="$MT_ROOT/tests"
"$tests_dir/mailbox.py" alice raw --wait 1 > "$MT_DIR/alice.eml"
mt_eq "alice got one message" 1 "$("$tests_dir/mailbox.py" alice count)"
mt_check "delivered with Return-Path: <>" grep -q "^Return-Path: <>" "$MT_DIR/alice.eml"
mt_check "dot-stuffing round trip" grep -qx "\.\.deux points" "$MT_DIR/alice.eml"
mt_check "lone dot line kept" grep -qx "\." "$MT_DIR/alice.eml"
mt_eq "body ends where the message ends (no blank line added)" "merci =C3=A0 vous" "$(tail -n 1 "$MT_DIR/alice.eml")"
"$tests_dir/mailbox.py" bob raw --wait 1 > "$MT_DIR/bob.eml"
mt_check "MAIL FROM per row" grep -q "^Return-Path: <contact@example.test>" "$MT_DIR/bob.eml"
mt_check "EHLO with the configured name" grep -q "^Received: from guichet-h.example.test " "$MT_DIR/bob.eml"
mt_check "STARTTLS and AUTH after our own EHLO" grep -q "with esmtpsa " "$MT_DIR/bob.eml"
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "second send sends nothing (4xx not due yet)" grep -q "sent 0, failed 0, still queued 1" "$MT_DIR/out"
mt_sql "DELETE FROM outbox WHERE message_id='out4@guichet.test'"

# 3. SMTP server down: everything stays queued, send fails; then drains once
"$tests_dir/mailstack.sh" stop smtp
queue 5 "" alice@example.test; queue 6 "" alice@example.test; queue 7 "" ana@example.test
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "send exits 1 when the server cannot be reached" 1 $?
mt_check "says why" grep -q "cannot connect" "$ERR"
mt_eq "nothing changed in the outbox" "3|0" \
	"$(mt_sql "SELECT count(*), sum(attempts) FROM outbox WHERE status='queued'")"
"$tests_dir/mailstack.sh" start smtp
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "after restart send exits 0" 0 $?
mt_check "all three sent" grep -q "sent 3, failed 0, still queued 0" "$MT_DIR/out"
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "nothing sent twice" grep -q "sent 0, failed 0" "$MT_DIR/out"
"$tests_dir/mailbox.py" alice count --wait 3 > /dev/null; sleep 0.5
mt_eq "alice has exactly 3 messages" 3 "$("$tests_dir/mailbox.py" alice count)"
mt_eq "ana has exactly 1 message" 1 "$("$tests_dir/mailbox.py" ana count --wait 1)"

# 4. two senders at once never send a row twice
for i in $(seq 10 29); do queue $i "" carlos@example.test; done
g send > "$MT_DIR/out1" 2>&1 & p1=$!
g send > "$MT_DIR/out2" 2>&1 & p2=$!
wait $p1; r1=$?; wait $p2; r2=$?
mt_eq "both senders exit 0" "0 0" "$r1 $r2"
mt_eq "20 rows sent" 20 "$(mt_sql "SELECT count(*) FROM outbox WHERE rcpt='carlos@example.test' AND status='sent'")"
"$tests_dir/mailbox.py" carlos count --wait 20 > /dev/null; sleep 0.5
mt_eq "carlos got each exactly once" 20 "$("$tests_dir/mailbox.py" carlos count)"

# 4b. a server that takes 5 messages per connection: reconnects, each once
"$tests_dir/mailstack.sh" stop smtp
MAILSTACK_SMTP_MAX_PER_CONN=5 "$tests_dir/mailstack.sh" start smtp
for i in $(seq 50 61); do queue $i "" olena@example.test; done
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "5 per connection: send exits 0" 0 $?
mt_check "5 per connection: all 12 sent in one run" grep -q "sent 12, failed 0, still queued 0" "$MT_DIR/out"
mt_check "5 per connection: reconnected" grep -q "reconnecting" "$ERR"
"$tests_dir/mailbox.py" olena count --wait 12 > /dev/null; sleep 0.5
mt_eq "5 per connection: olena got each exactly once" 12 "$("$tests_dir/mailbox.py" olena count)"
"$tests_dir/mailstack.sh" stop smtp
"$tests_dir/mailstack.sh" start smtp

# 5. a certificate from an unknown CA is refused, nothing marked sent
cp "$MT_CONF" "$MT_DIR/good.conf"
mt_conf_set "s|ca_file = \"$MAILSTACK_DIR/ca.pem\"|ca_file = \"$MAILSTACK_OTHER_CA\"|"
queue 40 "" fatima@example.test
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "unknown CA: send exits 1" 1 $?
mt_check "unknown CA: clear message" grep -q "certificate not trusted: .*(unknown CA)" "$ERR"
mt_eq "unknown CA: row still queued, untouched" "queued|0" \
	"$(mt_sql "SELECT status, attempts FROM outbox WHERE message_id='out40@guichet.test'")"
mt_check "unknown CA: nothing reached the server" test "$("$tests_dir/mailbox.py" fatima count)" = 0
mt_conf_set '/ca_file/d'
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "system trust store: our test CA is not trusted" grep -q "unknown CA" "$ERR"
cp "$MT_DIR/good.conf" "$MT_CONF"

# 6. implicit TLS on the SMTPS port
mt_conf_set "s|port = $MAILSTACK_SMTP_PORT;|port = $MAILSTACK_SMTPS_PORT;|"
sed -i '/^smtp = {/,/^};/s|security = "starttls"|security = "tls"|' "$MT_CONF"
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "implicit TLS: sent" grep -q "sent 1, failed 0, still queued 0" "$MT_DIR/out"
mt_eq "fatima got it" 1 "$("$tests_dir/mailbox.py" fatima count --wait 1)"
cp "$MT_DIR/good.conf" "$MT_CONF"

# 6b. a server that offers only AUTH LOGIN, then none
"$tests_dir/mailstack.sh" stop smtp
MAILSTACK_AUTH_MECHS=LOGIN "$tests_dir/mailstack.sh" start smtp
queue 42 "" luca@example.test
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "AUTH LOGIN only: sent" grep -q "sent 1, failed 0, still queued 0" "$MT_DIR/out"
grep -q "A=LOGIN:contact" "$MAILSTACK_DIR/exim/mainlog"
mt_eq "AUTH LOGIN only: logged in with LOGIN" 0 $?
"$tests_dir/mailstack.sh" stop smtp
MAILSTACK_AUTH_MECHS=none "$tests_dir/mailstack.sh" start smtp
queue 43 "" luca@example.test
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "no AUTH offered: send exits 1" 1 $?
mt_check "no AUTH offered: says so" grep -q "offers no AUTH PLAIN or LOGIN" "$ERR"
mt_eq "no AUTH offered: row still queued" queued "$(status_of 43)"
mt_sql "DELETE FROM outbox WHERE message_id = 'out43@guichet.test'"
"$tests_dir/mailstack.sh" stop smtp
"$tests_dir/mailstack.sh" start smtp

# 6c. SNI: sent when the host is a name (Exim logs it with the message)
sed -i '/^smtp = {/,/^};/s|host = "127.0.0.1"|host = "localhost"|' "$MT_CONF"
queue 44 "" luca@example.test
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "host name: sent" grep -q "sent 1, failed 0, still queued 0" "$MT_DIR/out"
mt_check "SNI sent with the host name" grep -q "SNI=localhost" "$MAILSTACK_DIR/exim/mainlog"
cp "$MT_DIR/good.conf" "$MT_CONF"

# 7. a certificate for another host name is refused
"$tests_dir/mailstack.sh" stop
MAILSTACK_CERT_NAMES=DNS:mail.elsewhere.test "$tests_dir/mailstack.sh" start
queue 41 "" sara@example.test
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "host name mismatch: send exits 1" 1 $?
mt_check "host name mismatch: clear message" grep -q "host name mismatch" "$ERR"
mt_eq "host name mismatch: row still queued" queued "$(status_of 41)"
"$tests_dir/mailstack.sh" stop
"$tests_dir/mailstack.sh" start
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "right certificate again: sent" grep -q "sent 1," "$MT_DIR/out"

mt_done
