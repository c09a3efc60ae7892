#!/bin/bash
# smtp_sessions: a long outbox goes over several SMTP connections at once
# (smtp.sessions, one per 16 due rows), a short one over one, and
# smtp.sessions = 1 keeps one; every row is delivered exactly once; a
# kill -9 in the middle of a drain over 4 connections loses nothing and
# re-sends at most one reply per connection (same Message-ID).
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start smtp_sessions

ERR="$MT_DIR/err"
# queue FIRST LAST: outbox rows to r<i>@d<i % 7>.example.org (captured by Exim)
queue() {
	mt_sql "WITH RECURSIVE n(i) AS (SELECT $1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
		INSERT INTO outbox(kind, message_id, mail_from, rcpt, data, created)
		SELECT 'ack', 'sess' || i || '@guichet.test', '', 'r' || i || '@d' || (i % 7) || '.example.org',
		 CAST('From: Commune <contact@example.test>' || char(10) || 'To: r' || i || '@d' || (i % 7) ||
		 '.example.org' || char(10) || 'Subject: s ' || i || char(10) || 'Message-ID: <sess' || i ||
		 '@guichet.test>' || char(10) || 'Auto-Submitted: auto-replied' || char(10) ||
		 'MIME-Version: 1.0' || char(10) || 'Content-Type: text/plain; charset=utf-8' || char(10) ||
		 'Content-Transfer-Encoding: quoted-printable' || char(10) || char(10) || 'Bonjour ' || i ||
		 char(10) AS BLOB), strftime('%s','now') FROM n"
}
# Exim's message ids carry the pid of the process that received them: one
# process per connection.  conns FIRST LAST: connections that carried them.
conns() {
	grep "<= <> .* id=sess[0-9]*@guichet.test" "$MAILSTACK_DIR/exim/mainlog" |
		sed 's/^[^ ]* [^ ]* \([^ ]*\) .* id=sess\([0-9]*\)@.*/\2 \1/' |
		awk -v a="$1" -v b="$2" '$1 + 0 >= a + 0 && $1 + 0 <= b + 0 { split($2, p, "-"); print p[2] }' |
		sort -u | wc -l
}
# ids FIRST LAST: the numbers of the captured copies in the range, one a line
ids() {
	grep -h -m1 "^Message-ID: <sess" "$MAILSTACK_CAPTURED"/new/* 2>/dev/null |
		sed 's/.*<sess\([0-9]*\)@.*/\1/' |
		awk -v a="$1" -v b="$2" '$1 + 0 >= a + 0 && $1 + 0 <= b + 0'
}
# delivered FIRST LAST: distinct Message-IDs captured, and captured copies
delivered() {
	echo "$(ids "$1" "$2" | sort -u | wc -l) $(ids "$1" "$2" | wc -l)"
}
wait_delivered() {	# FIRST LAST COUNT: up to 20 s for COUNT distinct
	local end=$(( $(date +%s) + 20 ))
	while [ "$(delivered "$1" "$2" | cut -d' ' -f1)" -lt "$3" ] && [ "$(date +%s)" -lt "$end" ]; do
		sleep 0.2
	done
}

g send > "$MT_DIR/out" 2> "$ERR"	# creates the store
mt_check "store created" test -f "$MT_DB"
grep -q "sessions = 4;" "$MT_CONF"
mt_eq "the sample configuration asks for 4 connections" 0 $?

# 1. 64 rows: 4 connections, each row once
queue 1 64
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "64 rows: send exits 0" 0 $?
mt_check "64 rows: all sent" grep -q "sent 64, failed 0, still queued 0" "$MT_DIR/out"
wait_delivered 1 64 64
mt_eq "64 rows: each delivered exactly once" "64 64" "$(delivered 1 64)"
mt_eq "64 rows: over 4 connections at once" 4 "$(conns 1 64)"
mt_eq "64 rows: 64 'sent' events in the log" 64 "$(grep -c "outbox [0-9]*: sent (ack)" "$ERR")"

# 2. 10 rows: one connection
queue 101 110
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "10 rows: all sent" grep -q "sent 10, failed 0, still queued 0" "$MT_DIR/out"
wait_delivered 101 110 10
mt_eq "10 rows: one connection" 1 "$(conns 101 110)"

# 3. smtp.sessions = 1: one connection for 64
sed -i 's|sessions = 4;|sessions = 1;|' "$MT_CONF"
queue 201 264
g send > "$MT_DIR/out" 2> "$ERR"
mt_check "sessions = 1: all sent" grep -q "sent 64, failed 0, still queued 0" "$MT_DIR/out"
wait_delivered 201 264 64
mt_eq "sessions = 1: one connection" 1 "$(conns 201 264)"
mt_eq "sessions = 1: each delivered exactly once" "64 64" "$(delivered 201 264)"
sed -i 's|sessions = 1;|sessions = 4;|' "$MT_CONF"

# 4. a bad value is refused with the file and line
sed -i 's|sessions = 4;|sessions = 0;|' "$MT_CONF"
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "sessions = 0: refused" 1 $?
mt_check "sessions = 0: says where" grep -q "guichet.conf:[0-9]*:.*sessions" "$ERR"
sed -i 's|sessions = 0;|sessions = 4;|' "$MT_CONF"

# 5. kill -9 in the middle of a drain over 4 connections, then send again
queue 301 500
g send > "$MT_DIR/out" 2> "$ERR" & pid=$!
end=$(( $(date +%s) + 20 ))
while [ "$(mt_sql "SELECT count(*) FROM outbox WHERE status = 'sent' AND message_id LIKE 'sess3%'")" -lt 20 ] &&
	[ "$(date +%s)" -lt "$end" ]; do sleep 0.05; done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
left=$(mt_sql "SELECT count(*) FROM outbox WHERE status = 'queued'")
mt_check "kill -9: killed in the middle ($left of 200 still queued)" test "$left" -gt 0 -a "$left" -lt 200
g send > "$MT_DIR/out" 2> "$ERR"
mt_eq "kill -9: the next send exits 0" 0 $?
mt_eq "kill -9: every row sent" 0 "$(mt_sql "SELECT count(*) FROM outbox WHERE status != 'sent'")"
wait_delivered 301 500 200
set -- $(delivered 301 500)
mt_eq "kill -9: every reply delivered" 200 "$1"
mt_check "kill -9: at most one re-sent per connection ($(($2 - $1)) re-sent)" test $(($2 - $1)) -le 4

mt_done
