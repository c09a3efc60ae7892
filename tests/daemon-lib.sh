# tests/daemon-lib.sh: shared by tests/demo.sh and tests/integration/daemon-*.sh.
# Source it after setting W (a scratch folder) and MAILSTACK_BASE_PORT (a
# base port of its own, so tests run in parallel).  Provides:
#   stack_start / stack_stop       the project's mail stack (tests/mailstack.sh)
#   write_config FILE [key=value]  a guichet.conf for the stack, store $W/guichet.db
#   daemon_start [args] / daemon_stop / daemon_kill   `guichet run` in the background
#   send_eml FILE [from]           send a message to contact@example.test
#   count USER [FOLDER]            messages in a mailbox
#   sql "SELECT ..."               query the store
#   wait_for CMD...                retry CMD for up to $WAIT_S seconds (default 20)
# Everything it starts is stopped by cleanup (call it from your trap).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${GUICHET:=$ROOT/guichet}"
: "${WAIT_S:=20}"
export MAILSTACK_DIR="${MAILSTACK_DIR:-$W/stack}" MAILSTACK_BASE_PORT
export PYTHONDONTWRITEBYTECODE=1
DAEMON_PID=

# Starts the stack on MAILSTACK_BASE_PORT, or on the next free base (+100...)
# when another run (someone else's make check) holds those ports.
stack_start() {
	local try
	for try in 1 2 3 4 5 6 7 8 9 10; do
		if "$ROOT/tests/mailstack.sh" start >"$W/mailstack.out" 2>&1; then
			eval "$("$ROOT/tests/mailstack.sh" env)"
			return 0
		fi
		grep -q "busy\|did not open" "$W/mailstack.out" || break
		"$ROOT/tests/mailstack.sh" stop >/dev/null 2>&1
		MAILSTACK_BASE_PORT=$((MAILSTACK_BASE_PORT + 100))
	done
	cat "$W/mailstack.out" >&2
	return 1
}

stack_stop() {
	"$ROOT/tests/mailstack.sh" stop >/dev/null 2>&1 || true
}

# write_config FILE [name=value ...]: overrides for imap_after, done, sent, idle, poll.
write_config() {
	local f=$1; shift
	local after=move idle=true poll=5 sent='sent_folder = "Sent";' quarantine=Guichet/Quarantaine
	local maxsize=10M
	local kv
	for kv in "$@"; do
		case "$kv" in
		after=*) after=${kv#*=} ;;
		idle=*) idle=${kv#*=} ;;
		poll=*) poll=${kv#*=} ;;
		sent=) sent= ;;
		maxsize=*) maxsize=${kv#*=} ;;
		esac
	done
	cat > "$f" <<EOF
identity = {
	org_name = "Commune de Chippis";
	region_code = "CHI";
	delegate_name = "Déléguée à l'intégration";
	delegate_address = "delegate@example.test";
	contact_address = "contact@example.test";
	office_hours = ( { days = "tue,thu"; from = "08:30"; to = "11:30"; } );
	default_language = "fr";
	timezone = "Europe/Zurich";
};
paths = {
	store = "$W/guichet.db";
	rules = "${RULES_DIR:-$ROOT/rules}";
	templates = "${TEMPLATES_DIR:-$ROOT/templates}";
};
limits = {
	max_message_size = "$maxsize";
	replies_per_sender_per_day = 1000;
	replies_per_hour = 100000;
};
imap = {
	host = "127.0.0.1";
	port = $MAILSTACK_IMAP_PORT;
	security = "starttls";
	user = "contact";
	password_file = "$MAILSTACK_PWDIR/contact";
	ca_file = "$MAILSTACK_CA";
	timeout = 20;
	folder = "INBOX";
	after = "$after";
	done_folder = "Guichet/Traites";
	quarantine_folder = "$quarantine";
	$sent
	flag = "\$Guichet";
	idle = $idle;
	poll_interval = $poll;
};
smtp = {
	host = "127.0.0.1";
	port = $MAILSTACK_SMTP_PORT;
	security = "starttls";
	user = "contact";
	password_file = "$MAILSTACK_PWDIR/contact";
	ca_file = "$MAILSTACK_CA";
	timeout = 20;
	envelope_sender = "";
	helo = "localhost";
};
privacy = {
	controller = "Commune de Chippis";
	contact = "contact@example.test";
};
# The daemon's daily digest off: at its default time (07:30, Monday to
# Friday) it would add an outbox row to every count these tests make, so
# they would fail or pass by the hour they run.  digest_time.sh tests it.
digest = {
	time = "off";
};
EOF
}

daemon_start() {
	"$GUICHET" --config "$W/guichet.conf" run "$@" >>"$W/daemon.log" 2>&1 &
	DAEMON_PID=$!
}

daemon_stop() {
	[ -n "$DAEMON_PID" ] || return 0
	kill -TERM "$DAEMON_PID" 2>/dev/null || true
	wait "$DAEMON_PID" 2>/dev/null
	local rc=$?
	DAEMON_PID=
	return $rc
}

daemon_kill() {
	[ -n "$DAEMON_PID" ] || return 0
	kill -KILL "$DAEMON_PID" 2>/dev/null || true
	wait "$DAEMON_PID" 2>/dev/null || true
	DAEMON_PID=
}

cleanup() {
	daemon_kill
	stack_stop
}

send_eml() {	# FILE [envelope-from]
	python3 "$ROOT/tests/sendmail.py" --to contact@example.test ${2:+--from "$2"} "$1" >/dev/null
}

count() {	# USER [FOLDER]
	python3 "$ROOT/tests/mailbox.py" "$1" count --folder "${2:-INBOX}" 2>/dev/null || echo 0
}

# Acknowledgments captured by Exim for ADDR (mail to other domains):
# acks_to ADDR prints how many deliveries, acks_ids ADDR how many distinct Message-IDs.
acks_to() {
	grep -l -i -x "Envelope-to: $1" "$MAILSTACK_CAPTURED"/new/* 2>/dev/null | wc -l
}
acks_ids() {
	grep -l -i -x "Envelope-to: $1" "$MAILSTACK_CAPTURED"/new/* 2>/dev/null |
		xargs -r grep -h -i -m1 "^Message-ID:" | sort -u | wc -l
}

sql() {
	sqlite3 -batch -noheader -cmd ".timeout 10000" "$W/guichet.db" "$1"
}

wait_for() {	# CMD...: true within WAIT_S seconds
	local end=$(( $(date +%s) + WAIT_S ))
	while ! "$@"; do
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# A small plain message: make_eml FILE FROM-NAME FROM-ADDR SUBJECT BODY [MESSAGE-ID]
make_eml() {
	local mid=${6:-$(date +%s%N).$RANDOM@sender.example.test}
	printf 'From: %s <%s>\nTo: contact@example.test\nSubject: %s\nDate: %s\nMessage-ID: <%s>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n%s\n' \
		"$2" "$3" "$4" "$(date -R)" "$mid" "$5" > "$1"
}

fail() { echo "FAIL: $*"; [ -f "$W/daemon.log" ] && tail -30 "$W/daemon.log"; exit 1; }
ok() { echo "ok - $*"; }
