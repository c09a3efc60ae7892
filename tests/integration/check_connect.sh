#!/bin/bash
# check_connect: `guichet check --connect` logs in to the project's SMTP and
# IMAP servers and says clearly what is wrong: unknown CA, host name
# mismatch, wrong password, server down, silent server (timeout).
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start check_connect
OUT="$MT_DIR/out" ERR="$MT_DIR/err"
cp "$MT_CONF" "$MT_DIR/good.conf"
restore() { cp "$MT_DIR/good.conf" "$MT_CONF"; }

g check --connect > "$OUT" 2> "$ERR"
mt_eq "good setup: exit 0" 0 $?
mt_check "smtp ok, certificate verified, logged in" grep -q "smtp 127.0.0.1:$MAILSTACK_SMTP_PORT: ok (starttls, certificate verified, logged in)" "$OUT"
mt_check "imap ok, certificate verified, logged in" grep -q "imap 127.0.0.1:$MAILSTACK_IMAP_PORT: ok (starttls, certificate verified, logged in as contact" "$OUT"

mt_conf_set "s|$MAILSTACK_DIR/ca.pem|$MAILSTACK_OTHER_CA|g"
g check --connect > "$OUT" 2> "$ERR"
mt_eq "unknown CA: exit 1" 1 $?
mt_check "unknown CA: smtp says so" grep -q "smtp 127.0.0.1:$MAILSTACK_SMTP_PORT: certificate not trusted: .*(unknown CA)" "$ERR"
mt_check "unknown CA: imap says so" grep -q "imap 127.0.0.1:$MAILSTACK_IMAP_PORT: certificate not trusted: .*(unknown CA)" "$ERR"
restore

# the certificate names localhost, mail.example.test and 127.0.0.1: ::1 is
# not among them, so use a stack whose certificate names another host.
"$MT_ROOT/tests/mailstack.sh" stop
MAILSTACK_CERT_NAMES=DNS:mail.elsewhere.test "$MT_ROOT/tests/mailstack.sh" start
g check --connect > "$OUT" 2> "$ERR"
mt_eq "host name mismatch: exit 1" 1 $?
mt_check "host name mismatch: smtp says so" grep -q "smtp 127.0.0.1:$MAILSTACK_SMTP_PORT: host name mismatch" "$ERR"
mt_check "host name mismatch: imap says so" grep -q "imap 127.0.0.1:$MAILSTACK_IMAP_PORT: host name mismatch" "$ERR"
sed -i '/^imap = {/,/^};/s|verify = true|verify = false|' "$MT_CONF"
g check --connect > "$OUT" 2> "$ERR"
mt_check "verify = false on imap only: imap ok, smtp still refused" \
	grep -q "imap 127.0.0.1:$MAILSTACK_IMAP_PORT: ok" "$OUT"
restore
"$MT_ROOT/tests/mailstack.sh" stop
"$MT_ROOT/tests/mailstack.sh" start

echo "not-the-password" > "$MT_DIR/badpw"; chmod 600 "$MT_DIR/badpw"
mt_conf_set "s|password_file = \"$MAILSTACK_DIR/pw/contact\"|password_file = \"$MT_DIR/badpw\"|g"
g check --connect > "$OUT" 2> "$ERR"
mt_eq "wrong password: exit 1" 1 $?
mt_check "wrong password: smtp login refused" grep -q "smtp .*login as contact: login refused" "$ERR"
mt_check "wrong password: imap login refused" grep -q "imap .*login as contact: login refused" "$ERR"
mt_check "the password never appears" sh -c "! grep -q not-the-password '$OUT' '$ERR'"
restore

"$MT_ROOT/tests/mailstack.sh" stop smtp
g check --connect > "$OUT" 2> "$ERR"
mt_eq "smtp down: exit 1" 1 $?
mt_check "smtp down: cannot connect" grep -q "smtp 127.0.0.1:$MAILSTACK_SMTP_PORT: cannot connect: connection refused" "$ERR"
mt_check "smtp down: imap still checked ok" grep -q "imap .*: ok" "$OUT"

# a server that accepts and never answers: the timeout applies
python3 - "$MAILSTACK_SMTP_PORT" <<'PY' & silent=$!
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
PY
mt_bg $silent
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$MAILSTACK_SMTP_PORT") 2>/dev/null && break; sleep 0.05; done
sed -i '/^smtp = {/,/^};/s|timeout = 60;|timeout = 2;|' "$MT_CONF"
start=$(date +%s)
g check --connect > "$OUT" 2> "$ERR"
rc=$?; took=$(( $(date +%s) - start ))
kill $silent 2>/dev/null; wait $silent 2>/dev/null
mt_eq "silent server: exit 1" 1 $rc
mt_check "silent server: gives up after the timeout (${took}s)" test $took -le 10
mt_check "silent server: says it timed out" grep -q "smtp .*timed out" "$ERR"
restore
"$MT_ROOT/tests/mailstack.sh" start smtp

# a host name rather than an IP address (the certificate names localhost)
sed -i 's|host = "127.0.0.1"|host = "localhost"|' "$MT_CONF"
g check --connect > "$OUT" 2> "$ERR"
mt_eq "host name localhost: exit 0" 0 $?
restore

mt_conf_set 's|security = "starttls"|security = "tls"|g'
mt_conf_set "s|port = $MAILSTACK_SMTP_PORT;|port = $MAILSTACK_SMTPS_PORT;|; s|port = $MAILSTACK_IMAP_PORT;|port = $MAILSTACK_IMAPS_PORT;|"
g check --connect > "$OUT" 2> "$ERR"
mt_eq "implicit TLS on both: exit 0" 0 $?
mt_check "implicit TLS: both ok" test "$(grep -c ": ok (tls, certificate verified" "$OUT")" = 2
restore

mt_done
