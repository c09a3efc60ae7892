#!/bin/bash
# tests/bench/burst.sh GUICHET [N]: how long `guichet run` takes to handle a
# burst of N (default 1000) requests waiting in the contact folder, on the
# project's mail stack (tests/mailstack.sh, ports of its own).  Prints
# "label|value" lines for tests/bench/run.sh; never fails on timing.
#
# The N small requests (from N different senders of another domain, so
# every one is acknowledged and Exim captures the replies) are appended to
# INBOX over IMAP while the daemon is stopped (a burst, or an outage).
# Then the daemon starts; the time runs from its start to the moment the
# store holds N messages, INBOX is empty and no reply is left queued
# (every acknowledgment accepted by the SMTP server; senders in BURST_DOMAINS
# domains, default 50: the per-domain cap stops automatic replies after 100
# a day to one domain).  A run that does not
# finish within BURST_TIMEOUT seconds (default 600) reports what it did.
#
# The SMTP server is the test Exim on the same two cores.  BURST_EXIM_QUEUE
# (default 10, Exim's own default of smtp_accept_queue_per_connection) is
# how many messages of one connection Exim delivers at once, by a process
# forked for each; the rest wait for its queue runner (every 2 s).  A
# commune's relay is another machine; with 0 (what the test suite uses:
# every reply delivered at once) its 1,000 deliveries compete with guichet
# for the two cores during the burst.  tests/bench/run.sh prints both.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GUICHET=${1:-$ROOT/guichet}
N=${2:-1000}
case "$GUICHET" in /*) ;; *) GUICHET=$PWD/$GUICHET ;; esac
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/guichet-burst.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=${BURST_BASE_PORT:-36500}
export MAILSTACK_SMTP_QUEUE_PER_CONN=${BURST_EXIM_QUEUE:-10}
if [ "$MAILSTACK_SMTP_QUEUE_PER_CONN" = 0 ]; then
	exim="Exim delivering every reply at once"
else
	exim="Exim queueing after $MAILSTACK_SMTP_QUEUE_PER_CONN a connection"
fi
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; [ -n "${BURST_KEEP:-}" ] || rm -rf "$W"' EXIT
out() { printf '%s|%s\n' "$1" "$2"; }

if ! stack_start; then
	out "burst of $N through the daemon" "not measured: the mail stack did not start"
	exit 0
fi
write_config "$W/guichet.conf" sent=
python3 - "$N" "$W" <<'EOF' || { out "burst of $N through the daemon" "not measured: APPEND failed"; exit 0; }
import imaplib, os, ssl, sys, time
from email.utils import formatdate
n = int(sys.argv[1])
m = imaplib.IMAP4("127.0.0.1", int(os.environ["MAILSTACK_IMAP_PORT"]), timeout=30)
m.starttls(ssl_context=ssl.create_default_context(cafile=os.environ["MAILSTACK_CA"]))
m.login("contact", open(os.path.join(os.environ["MAILSTACK_PWDIR"], "contact")).read().strip())
bodies = [
    "Bonjour, je voudrais m'inscrire à un cours de français pour adultes le soir.",
    "Guten Tag, ich suche einen Deutschkurs und eine Wohnung in Siders.",
    "Bom dia, preciso de ajuda com a renovação da minha autorização de residência.",
    "Buongiorno, cerco lavoro come muratore nella regione di Sierre.",
    "Добрий день, чи є безкоштовні курси французької мови для дорослих?",
]
total = 0
for i in range(n):
    msg = ("From: Person %d <b%d@d%d.senders.test>\r\nTo: contact@example.test\r\n"
           "Subject: Demande %d\r\nDate: %s\r\nMessage-ID: <burst.%d.%d@senders.test>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n%s\r\n\r\nMerci (%d)\r\n" %
           (i, i, i % int(os.environ.get("BURST_DOMAINS", "50")), i, formatdate(localtime=True), int(time.time()), i, bodies[i % len(bodies)], i))
    typ, _ = m.append("INBOX", None, None, msg.encode("utf-8"))
    if typ != "OK":
        sys.exit(1)
    total += len(msg.encode("utf-8"))
m.logout()
open(os.path.join(sys.argv[2], "bytes"), "w").write("%d\n" % total)
EOF

# The learned model is trained beforehand, as for the ingest figures: a
# daemon meets a burst with its model, and the one-time training of a fresh
# store (a child process competing for the two cores) is not the burst.
"$GUICHET" --config "$W/guichet.conf" learn > "$W/learn.log" 2>&1 || true
t0=$(date +%s.%N)
# --debug: one line per batch with its phases (fetch, classify+store,
# commit, move, send), summed below; GUICHET_PROFILE: the pipeline's
# stages at the end (what classify+store is made of)
GUICHET_PROFILE=1 "$GUICHET" --debug --config "$W/guichet.conf" run >>"$W/daemon.log" 2>&1 &
DAEMON_PID=$!
done_all() {
	[ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'" 2>/dev/null)" = "$N" ] &&
	[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued'" 2>/dev/null)" = 0 ] &&
	[ "$(count contact INBOX)" = 0 ]
}
WAIT_S=${BURST_TIMEOUT:-600} wait_for done_all
ok=$?
t1=$(date +%s.%N)
stored=$(sql "SELECT count(*) FROM messages WHERE direction = 'in'" 2>/dev/null)
sent=$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'" 2>/dev/null)
rss=$(awk '/VmHWM/ {print $2}' /proc/"$DAEMON_PID"/status 2>/dev/null)
# what the daemon wrote to the disk (its /proc/PID/io), per message and
# against the size of the mail
wb=$(awk '/^write_bytes:/ {print $2}' /proc/"$DAEMON_PID"/io 2>/dev/null)
# its CPU time (user + system, all threads) and its read calls: a figure
# of its own, less shaken than the wall time by the load of a shared box
cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' \
	/proc/"$DAEMON_PID"/stat 2>/dev/null)
rd=$(awk '/^syscr:/ {print $2}' /proc/"$DAEMON_PID"/io 2>/dev/null)
mb=$(cat "$W/bytes" 2>/dev/null)
io="written ?"
[ -n "$wb" ] && [ -n "$mb" ] &&
	io="written $((wb / N)) B/msg, $(awk "BEGIN { printf \"%.2f\", $wb / $mb }")x the mail"
daemon_stop >/dev/null 2>&1 || true
# "batch of 64: fetch 0.004 s, classify+store 0.071 s, commit 0.004 s, move 0.010 s, send 0.402 s"
phases=$(awk '/batch of [0-9]+: fetch/ {
	for (i = 1; i <= NF; i++) {
		if ($i == "fetch") f += $(i + 1); if ($i == "classify+store") c += $(i + 1)
		if ($i == "commit") k += $(i + 1); if ($i == "move") m += $(i + 1)
		if ($i == "send") s += $(i + 1)
	}
	b++ }
	END { if (b) printf "%d batches: fetch %.2f s, classify+store %.2f s, commit %.2f s, move %.2f s, send %.2f s", b, f, c, k, m, s }' "$W/daemon.log")
# "profile: parse+text                  0.123 s  10.2%"
stages=$(awk '/^profile: .* s +[0-9.]+%$/ {
	name = $2; for (i = 3; i < NF - 2; i++) name = name " " $i
	printf "%s%s %.2f s", sep, name, $(NF - 2); sep = ", " }' "$W/daemon.log")
secs=$(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }")
if [ "$ok" = 0 ]; then
	out "burst of $N through the daemon (IMAP to acks sent; $exim)" \
	    "$secs s ($(awk "BEGIN { printf \"%.0f\", $N / ($t1 - $t0) }") msg/s; guichet CPU ${cpu:-?} s, ${rd:-?} read calls; peak RSS ${rss:-?} kB${BURST_FLOOR:+ (floor $BURST_FLOOR kB)}; $io; load $(cut -d' ' -f1 /proc/loadavg))"
	[ -z "$phases" ] || out "burst of $N ($exim): where the time went" "$phases"
	[ -z "$stages" ] || out "burst of $N ($exim): the pipeline's stages" "$stages"
else
	out "burst of $N through the daemon (IMAP to acks sent; $exim)" \
	    "not done after $secs s: $stored stored, $sent acknowledgments sent"
fi
exit 0
