#!/bin/bash
# tests/demo.sh GUICHET: `make demo`.  Starts the project's mail stack on
# 127.0.0.1 (Dovecot + Exim, ports 10143/10025 unless MAILSTACK_BASE_PORT
# says otherwise), starts `guichet run` against it with a fresh SQLite store,
# sends the sample requests of tests/fixtures/demo/ from several people in
# several languages, waits for the acknowledgments and shows what happened:
# each request's labels, the acknowledgments as they arrived in the senders'
# mailboxes, a reply of the delegate seen in the Sent folder, and the store.
# Stops everything it started, also on Ctrl-C.  DEMO_KEEP=1 keeps the files.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GUICHET=${1:-$ROOT/guichet}
case "$GUICHET" in /*) ;; *) GUICHET="$PWD/$GUICHET" ;; esac
export MAILSTACK_BASE_PORT=${MAILSTACK_BASE_PORT:-10000}

[ "$(id -u)" = 0 ] || { echo "make demo: run as root (the mail stack's servers drop to their own users)" >&2; exit 1; }
[ -x "$GUICHET" ] || { echo "make demo: $GUICHET not built" >&2; exit 1; }
W=$(mktemp -d /tmp/guichet-demo.XXXXXX)
chmod 755 "$W"	# Dovecot and Exim run as nobody / Debian-exim
. "$ROOT/tests/daemon-lib.sh"

bold() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
finish() {
	trap - EXIT INT TERM
	[ -n "$DAEMON_PID" ] && echo "stopping guichet and the mail stack..."
	daemon_stop
	stack_stop
	if [ "${DEMO_KEEP:-0}" = 1 ]; then
		echo "files kept in $W (store: $W/guichet.db, log: $W/daemon.log)"
	else
		rm -rf "$W"
	fi
}
trap finish EXIT
trap 'echo; echo "interrupted"; exit 130' INT TERM

bold "1. The mail stack (Dovecot + Exim on 127.0.0.1)"
stack_start || exit 1
echo "IMAP 127.0.0.1:$MAILSTACK_IMAP_PORT, SMTP 127.0.0.1:$MAILSTACK_SMTP_PORT, mailboxes *@example.test"

bold "2. guichet run, with a fresh store in $W"
write_config "$W/guichet.conf"
"$GUICHET" --config "$W/guichet.conf" check >"$W/check.out" 2>&1 ||
	{ cat "$W/check.out"; echo "make demo: the configuration does not load" >&2; exit 1; }
daemon_start
wait_for grep -q "connected, watching" "$W/daemon.log" ||
	{ cat "$W/daemon.log"; echo "make demo: guichet run did not connect" >&2; exit 1; }
grep -v "^guichet: imap.*created folder" "$W/daemon.log" | sed 's/^/  /'

bold "3. Nine people write to contact@example.test"
n=0
for f in "$ROOT"/tests/fixtures/demo/*.eml; do
	python3 - "$f" <<'EOF'
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
print("  %-40s %s" % (m["From"], m["Subject"]))
EOF
	send_eml "$f" || { echo "make demo: sending $f failed" >&2; exit 1; }
	n=$((n + 1))
	sleep 0.3
done

# Give up at once, with its log, when guichet run stopped.
running() {
	kill -0 "$DAEMON_PID" 2>/dev/null && return 0
	echo "make demo: guichet run stopped:" >&2; tail -20 "$W/daemon.log" >&2; exit 1
}
stored() { running; [ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'" 2>/dev/null)" -ge "$n" ]; }
drained() { running; [ "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'" 2>/dev/null)" = 0 ]; }
WAIT_S=60 wait_for stored || echo "  (not every message was stored within 60 s)"
WAIT_S=30 wait_for drained || echo "  (the outbox is not empty after 30 s)"
sleep 1	# the last acknowledgments travel through Exim and Dovecot

bold "4. What guichet logged (one line per message)"
sed -n '/UID [0-9]*:/p; /outbox [0-9]*:/p' "$W/daemon.log" | sed 's/^/  /'

bold "5. Each request's labels"
if ! "$GUICHET" --config "$W/guichet.conf" list 2>/dev/null | sed 's/^/  /'; then
	sqlite3 -header -column "$W/guichet.db" "SELECT ref, status, language AS lang,
	    requester, domain, topic, urgent, reply FROM requests ORDER BY id" | sed 's/^/  /'
fi

bold "6. The acknowledgments, as they arrived in the senders' mailboxes"
python3 - <<'EOF'
import email, imaplib, os, ssl
from email import policy
ctx = ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"])
for user in ["ana", "mehmet", "luca", "carlos", "olena", "dawit", "fatima", "sara", "bob"]:
    pw = open(os.path.join(os.environ["MAILSTACK_PWDIR"], user)).read().strip()
    m = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
    m.starttls(ssl_context=ctx)
    m.login(user, pw)
    m.select("INBOX", readonly=True)
    uids = m.uid("SEARCH", None, "ALL")[1][0].split()
    print("\n  --- %s@example.test: %d message(s)" % (user, len(uids)))
    for u in uids:
        raw = [p[1] for p in m.uid("FETCH", u, "(BODY.PEEK[])")[1] if isinstance(p, tuple)][0]
        msg = email.message_from_bytes(raw, policy=policy.default)
        print("  From:    %s" % msg["From"])
        print("  Subject: %s" % msg["Subject"])
        part = msg.get_body(preferencelist=("plain",))
        text = part.get_content() if part else ""
        lines = [l for l in text.splitlines() if l.strip()][:6]
        for l in lines:
            print("  | " + l[:100])
    m.logout()
EOF

bold "7. The delegate answers Ana from her own mail program (a copy lands in Sent)"
ref=$(sql "SELECT r.ref FROM requests r JOIN messages m ON m.request_id = r.id WHERE m.message_id = 'demo-01.ana@example.test'")
python3 - "$ref" <<'EOF'
import imaplib, os, ssl, sys, time
from email.message import EmailMessage
from email.utils import formatdate
ref = sys.argv[1]
msg = EmailMessage()
msg["From"] = "Commune de Chippis <contact@example.test>"
msg["To"] = "Ana Silva <ana@example.test>"
msg["Subject"] = "Re: Cours de français pour adultes [%s]" % ref
msg["Date"] = formatdate(localtime=True)
msg["In-Reply-To"] = "<demo-01.ana@example.test>"
msg["References"] = "<demo-01.ana@example.test>"
msg["Message-ID"] = "<reply-%d@example.test>" % time.time()
msg.set_content("Bonjour Madame Silva,\n\nles cours du soir ont lieu le mardi à Sierre...\n")
ctx = ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"])
m = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]))
m.starttls(ssl_context=ctx)
m.login("contact", open(os.path.join(os.environ["MAILSTACK_PWDIR"], "contact")).read().strip())
m.append("Sent", "\\Seen", None, msg.as_bytes())
m.logout()
print("  appended to Sent: %s" % msg["Subject"])
EOF
answered() { [ "$(sql "SELECT status FROM requests WHERE ref = '$ref'")" = answered ]; }
if WAIT_S=20 wait_for answered; then
	echo "  $ref is now: $(sql "SELECT status || ', answered ' || datetime(answered, 'unixepoch') || ' UTC' FROM requests WHERE ref = '$ref'")"
else
	echo "  $ref was not marked answered within 20 s"
fi

bold "8. The store ($W/guichet.db)"
sqlite3 -header -column "$W/guichet.db" "
SELECT 'requests' AS what, status AS state, count(*) AS n FROM requests GROUP BY status
UNION ALL SELECT 'messages', direction || ' ' || status, count(*) FROM messages GROUP BY direction, status
UNION ALL SELECT 'outbox', kind || ' ' || status, count(*) FROM outbox GROUP BY kind, status
UNION ALL SELECT 'mailbox', name, last_uid FROM mailboxes
UNION ALL SELECT 'events', kind, count(*) FROM events GROUP BY kind;" | sed 's/^/  /'
echo
echo "The contact mailbox now: INBOX $(count contact INBOX), Guichet/Traites $(count contact Guichet/Traites), Guichet/Quarantaine $(count contact Guichet/Quarantaine)"
echo "Done.  (DEMO_KEEP=1 make demo keeps the store and logs.)"
