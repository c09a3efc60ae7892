#!/bin/bash
# durable.sh: "stored" means on disk, checked on the system calls (strace),
# which a kill -9 trial cannot see (the page cache survives a process kill):
#  1. ingest of 600 small messages into an existing store: every line that
#     reports messages stored comes after a WAL fdatasync of their group
#     commit (at least 3 group commits);
#  2. the daemon on the mail stack: every IMAP MOVE of a processed message
#     comes after the sync of its commit (IMAP in plain text on loopback,
#     so the commands can be read in the trace).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/durable.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=37000
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT
command -v strace >/dev/null || fail "strace is needed (make deps)"
TRACE="strace -f -y -qq -s 256 -e trace=fdatasync,fsync,write,pwrite64,sendto,sendmsg"
# LeakSanitizer cannot run under ptrace: under `make asan` the traced runs
# check memory errors only (the rest of the suite checks leaks).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# 1. ingest into an existing store
cp "$ROOT/guichet.conf" "$W/ingest.conf"
ln -s "$ROOT/rules" "$W/rules"; ln -s "$ROOT/templates" "$W/templates"
mkdir -p "$W/first" "$W/batch"
make_eml "$W/first/0.eml" "Première" "p0@senders.test" "Cours" "Bonjour, je cherche un cours de français."
"$GUICHET" --config "$W/ingest.conf" --db "$W/ingest.db" ingest "$W/first" >/dev/null 2>&1 ||
	fail "first ingest"
python3 - "$W/batch" 600 <<'EOF'
import sys
d, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    with open("%s/%04d.eml" % (d, i), "w") as f:
        f.write("From: Person %d <s%d@senders.test>\nTo: contact@example.test\n"
                "Subject: Demande %d\nDate: Mon, 7 Dec 2026 10:00:00 +0100\n"
                "Message-ID: <durable.%d@senders.test>\nMIME-Version: 1.0\n"
                "Content-Type: text/plain; charset=utf-8\n\n"
                "Bonjour, je cherche un logement et un cours de français (%d).\n" % (i, i, i, i, i))
EOF
$TRACE -o "$W/ingest.trace" "$GUICHET" --config "$W/ingest.conf" --db "$W/ingest.db" \
	ingest "$W/batch" > "$W/ingest.out" 2> "$W/ingest.err" || fail "ingest: $(cat "$W/ingest.err")"
[ "$(grep -c '^stored' "$W/ingest.out")" = 600 ] || fail "ingest stored $(grep -c '^stored' "$W/ingest.out") of 600"
res=$(python3 "$ROOT/tests/lib/synccheck.py" ingest "$W/ingest.trace") || fail "ingest: $res"
groups=$(echo "$res" | sed -n 's/.*reports after \([0-9]*\) distinct syncs.*/\1/p')
[ "${groups:-0}" -ge 3 ] || fail "ingest: reports after only ${groups:-0} group commits (at least 3 expected): $res"
ok "ingest of 600: every report of stored messages after its WAL sync ($res)"

# 2. the daemon: every MOVE after the sync of its commit
stack_start || fail "mail stack"
write_config "$W/guichet.conf"
sed -i '0,/security = "starttls";/s//security = "plain";/' "$W/guichet.conf"
N=12
for i in $(seq "$N"); do
	make_eml "$W/d$i.eml" "Person $i" "d$i@senders.test" "Demande $i" \
		"Bonjour, je cherche un cours de français à Chippis. Message $i."
	send_eml "$W/d$i.eml" "d$i@senders.test"
done
python3 "$ROOT/tests/mailbox.py" contact count --wait "$N" >/dev/null || fail "delivery"
$TRACE -o "$W/daemon.trace" "$GUICHET" --config "$W/guichet.conf" run --once \
	>> "$W/daemon.log" 2>&1 || fail "run --once"
[ "$(sql "SELECT count(*) FROM messages WHERE direction = 'in'")" = "$N" ] || fail "stored $(sql "SELECT count(*) FROM messages")"
[ "$(count contact Guichet/Traites)" = "$N" ] || fail "moved $(count contact Guichet/Traites) of $N"
res=$(python3 "$ROOT/tests/lib/synccheck.py" move "$W/daemon.trace") || fail "daemon: $res"
ok "daemon: every MOVE after the sync of its commit ($res)"

# Then in IDLE: messages arriving one by one
: > "$W/daemon.log"
$TRACE -o "$W/idle.trace" "$GUICHET" --config "$W/guichet.conf" run >> "$W/daemon.log" 2>&1 &
DAEMON_PID=$!
wait_for grep -q "watching INBOX with IDLE" "$W/daemon.log" || fail "IDLE"
for i in $(seq 4); do
	make_eml "$W/e$i.eml" "Late $i" "e$i@senders.test" "Demande tardive $i" "Bonjour, un logement? ($i)"
	send_eml "$W/e$i.eml" "e$i@senders.test"
	sleep 0.3
done
moved() { [ "$(count contact Guichet/Traites)" = $((N + 4)) ]; }
wait_for moved || fail "IDLE: moved $(count contact Guichet/Traites)"
# SIGTERM to guichet itself (strace does not pass it on), then strace ends
kill -TERM $(pgrep -P "$DAEMON_PID") 2>/dev/null
wait "$DAEMON_PID"; DAEMON_PID=
res=$(python3 "$ROOT/tests/lib/synccheck.py" move "$W/idle.trace") || fail "daemon in IDLE: $res"
ok "daemon in IDLE: every MOVE after the sync of its commit ($res)"
echo "all ok"
