#!/bin/bash
# tests/bench/latency.sh GUICHET [N]: delivery-to-acknowledgment latency of
# `guichet run` (IDLE mode) on the project's mail stack (tests/mailstack.sh,
# ports of its own).  Sends N (>= 50, default 60) requests one at a time by
# SMTP to contact@example.test from local senders (alice, bob, ... at
# example.test) and prints "label|value" lines for tests/bench/run.sh.
#
# What is measured, for each message:
#   start = the moment Dovecot (LMTP) wrote the message into the contact
#           Maildir: the mtime of the new file that appears in INBOX's new/
#           or cur/ (polled every 5 ms; the daemon moves it away once
#           handled, so it is usually seen in new/).  When the file was
#           never seen (moved before a poll), the moment the SMTP
#           transaction completed is used instead, and counted.
#   end   = the moment the acknowledgment was written into the sender's
#           Maildir new/ (mtime of the new file, polled every 5 ms).
# A first warm-up message is not counted.  Never fails on timing: a
# message not answered within 20 s is counted as missing (and the run stops
# early when most are).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GUICHET=${1:-$ROOT/guichet}
N=${2:-60}
[ "$N" -ge 50 ] 2>/dev/null || N=50
case "$GUICHET" in /*) ;; *) GUICHET=$PWD/$GUICHET ;; esac
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/guichet-latency.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=${LATENCY_BASE_PORT:-36000}
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; rm -rf "$W"' EXIT
out() { printf '%s|%s\n' "$1" "$2"; }

if ! stack_start; then
	out "delivery-to-ack latency" "not measured: the mail stack did not start (see tests/mailstack.sh)"
	exit 0
fi
write_config "$W/guichet.conf"
daemon_start
if ! wait_for grep -q "watching INBOX with IDLE" "$W/daemon.log"; then
	out "delivery-to-ack latency" "not measured: guichet run did not reach IDLE"
	tail -n 20 "$W/daemon.log" >&2
	exit 0
fi

python3 - "$N" "$MAILSTACK_SMTP_PORT" "$MAILSTACK_MAILDIRS" <<'EOF'
import os, smtplib, sys, time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

n, port, maildirs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
senders = ["alice", "bob", "ana", "carlos", "fatima", "mehmet", "olena", "dawit", "sara", "luca"]
bodies = [
    "Bonjour, je voudrais m'inscrire à un cours de français pour adultes le soir.",
    "Guten Tag, ich suche einen Deutschkurs und eine Wohnung in Siders.",
    "Bom dia, preciso de ajuda com a renovação da minha autorização de residência.",
    "Buongiorno, cerco lavoro come muratore nella regione di Sierre.",
    "Добрий день, чи є безкоштовні курси французької мови для дорослих?",
]
contact = os.path.join(maildirs, "contact", "Maildir")

def names(*dirs):
    s = {}
    for d in dirs:
        try:
            for e in os.scandir(d):
                s[e.name.split(":")[0]] = e.path
        except FileNotFoundError:
            pass
    return s

def mtime(path):
    try:
        return os.stat(path).st_mtime_ns / 1e9
    except FileNotFoundError:
        return None

lat, handled, fallbacks, missing = [], [], 0, 0
smtp = smtplib.SMTP("127.0.0.1", port, timeout=20)
for i in range(n + 1):
    who = senders[i % len(senders)]
    box = os.path.join(maildirs, who, "Maildir", "new")
    inbox = (os.path.join(contact, "new"), os.path.join(contact, "cur"))
    seen_in, seen_ack = names(*inbox), names(box)
    m = EmailMessage()
    m["From"] = "%s <%s@example.test>" % (who.capitalize(), who)
    m["To"] = "contact@example.test"
    m["Subject"] = "Demande %d de %s" % (i, who)
    m["Date"] = formatdate(localtime=True)
    m["Message-ID"] = make_msgid(domain="example.test")
    m.set_content("%s\n\nMerci, %s (%d)\n" % (bodies[i % len(bodies)], who, i))
    try:
        smtp.send_message(m)
    except (smtplib.SMTPException, OSError):
        smtp = smtplib.SMTP("127.0.0.1", port, timeout=20)
        smtp.send_message(m)
    t_smtp = time.time()
    t_in = t_ack = t_gone = None
    mine = None
    deadline = t_smtp + 20
    while time.time() < deadline:
        cur = names(*inbox)
        if t_in is None:
            for k, p in cur.items():
                if k not in seen_in:
                    t_in, mine = mtime(p), k
                    break
        elif t_gone is None and mine not in cur:
            t_gone = time.time()
        new = [p for k, p in names(box).items() if k not in seen_ack]
        if new:
            t_ack = min(t for t in map(mtime, new) if t is not None)
            break
        time.sleep(0.005)
    if i == 0:
        continue			# warm-up
    if t_ack is None:
        missing += 1
        if missing >= 3 and missing * 2 > i:
            break		# the daemon is not answering: stop, report what we have
        continue
    if t_in is None:
        t_in, fallbacks = t_smtp, fallbacks + 1
    lat.append(max(0.0, t_ack - t_in))
    if t_gone is not None:
        handled.append(t_gone - t_in)
smtp.quit()

lat.sort()
handled.sort()
def pct(p, lat=lat):
    if not lat:
        return float("nan")
    k = (len(lat) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(lat) - 1)
    return lat[lo] + (lat[hi] - lat[lo]) * (k - lo)
label = "delivery-to-ack latency (%d msgs, IDLE)" % len(lat)
print("%s, median|%.3f s" % (label, pct(0.5)))
print("%s, 95th percentile|%.3f s (min %.3f, max %.3f)" %
      (label, pct(0.95), lat[0] if lat else 0, lat[-1] if lat else 0))
if handled:
    print("  of which delivery to moved out of INBOX, median|%.3f s (%d seen)" %
          (pct(0.5, handled), len(handled)))
if fallbacks or missing:
    print("  latency notes|%d timed from SMTP completion, %d not answered in 20 s" % (fallbacks, missing))
EOF
daemon_stop >/dev/null 2>&1 || true
exit 0
