# tests/lib/mailtest.sh: sourced by integration tests that need the mail
# stack.  Starts a private stack (tests/mailstack.sh) on free ports, writes
# a guichet.conf for it, and stops everything on exit.
#
#   . "$(dirname "$0")/../lib/mailtest.sh"
#   mt_start NAME            stack + $MT_CONF (+ $MT_DIR, $MT_DB); exports MAILSTACK_*
#   mt_conf_set SED-EXPR     edit $MT_CONF in place
#   mt_ok / mt_fail MSG      TAP-ish output; mt_done exits with the verdict
#   g ARGS...                runs $GUICHET --config $MT_CONF ARGS...
#
# Needs root (CI), $GUICHET and $TESTS_TMP (tests/run.sh sets both).
set -u
MT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${GUICHET:=$MT_ROOT/guichet}" "${TESTS_TMP:=$MT_ROOT/tests/tmp}"
MT_FAILS=0 MT_N=0

mt_ok() { MT_N=$((MT_N + 1)); echo "ok $MT_N - $*"; }
mt_fail() { MT_N=$((MT_N + 1)); MT_FAILS=$((MT_FAILS + 1)); echo "not ok $MT_N - $*"; }
mt_check() {	# description command...: ok when the command succeeds
	local d=$1; shift
	if "$@"; then mt_ok "$d"; else mt_fail "$d"; fi
}
mt_eq() {	# description expected actual
	if [ "$2" = "$3" ]; then mt_ok "$1"; else mt_fail "$1: expected [$2], got [$3]"; fi
}
mt_done() {
	echo "1..$MT_N"
	[ "$MT_FAILS" = 0 ] || { echo "# $MT_FAILS failed"; exit 1; }
	exit 0
}
MT_PIDS=""
mt_bg() { MT_PIDS="$MT_PIDS $1"; }	# a helper process to kill on exit
mt_cleanup() {
	local p
	for p in $MT_PIDS; do kill "$p" 2>/dev/null; done
	[ -n "${MAILSTACK_DIR:-}" ] && "$MT_ROOT/tests/mailstack.sh" stop >/dev/null 2>&1
	[ -n "${MT_TMPSTACK:-}" ] && rm -rf "$MT_TMPSTACK"
	return 0
}

g() { "$GUICHET" --config "$MT_CONF" "$@"; }

mt_start() {	# NAME
	local name=$1 try base
	MT_DIR="$TESTS_TMP/$name"
	export MAILSTACK_DIR="$MT_DIR/stack"
	# a previous run killed before its cleanup: stop its servers first
	[ -d "$MAILSTACK_DIR" ] && "$MT_ROOT/tests/mailstack.sh" stop >/dev/null 2>&1
	rm -rf "$MT_DIR"; mkdir -p "$MT_DIR"; chmod 755 "$MT_DIR"
	# Exim and Dovecot run as Debian-exim and nobody: when a parent folder
	# is private (a clone under /root), keep the stack under /tmp instead.
	if command -v runuser >/dev/null && ! runuser -u nobody -- test -x "$MT_DIR"; then
		rm -f "$MT_DIR/stack"
		MAILSTACK_DIR=$(mktemp -d "/tmp/guichet-$name.XXXXXX") || exit 1
		chmod 755 "$MAILSTACK_DIR"
		ln -s "$MAILSTACK_DIR" "$MT_DIR/stack"
		export MAILSTACK_DIR
		MT_TMPSTACK=$MAILSTACK_DIR
	fi
	trap mt_cleanup EXIT
	trap 'exit 130' INT TERM
	for try in 1 2 3 4 5 6 7 8; do
		base=$(( (RANDOM % 54 + 11) * 1000 ))
		export MAILSTACK_BASE_PORT=$base
		unset MAILSTACK_IMAP_PORT MAILSTACK_IMAPS_PORT MAILSTACK_LMTP_PORT \
			MAILSTACK_SMTP_PORT MAILSTACK_SMTPS_PORT
		if "$MT_ROOT/tests/mailstack.sh" start 2> "$MT_DIR/stack-start.err"; then
			break
		fi
		grep -q "busy\|did not open" "$MT_DIR/stack-start.err" || { cat "$MT_DIR/stack-start.err" >&2; exit 1; }
		# another run took a port between the check and the bind: try elsewhere
		"$MT_ROOT/tests/mailstack.sh" stop >/dev/null 2>&1
		[ $try = 8 ] && { echo "# no free ports" >&2; exit 1; }
	done
	eval "$("$MT_ROOT/tests/mailstack.sh" env)"
	MT_DB="$MT_DIR/guichet.db"
	MT_CONF="$MT_DIR/guichet.conf"
	mt_write_conf "$MT_CONF"
}

# The sample guichet.conf of the repository with paths and ports replaced.
mt_write_conf() {	# FILE
	sed -e "s|port = 10143;|port = $MAILSTACK_IMAP_PORT;|" \
	    -e "s|port = 10025;|port = $MAILSTACK_SMTP_PORT;|" \
	    -e "s|tests/tmp/guichet-mailstack|$MAILSTACK_DIR|g" \
	    -e "s|store = \"guichet.db\"|store = \"$MT_DB\"|" \
	    -e "s|rules = \"rules\"|rules = \"${MT_RULES:-$MT_ROOT/rules}\"|" \
	    -e "s|templates = \"templates\"|templates = \"${MT_TEMPLATES:-$MT_ROOT/templates}\"|" \
	    "$MT_ROOT/guichet.conf" > "$1"
	grep -q "port = $MAILSTACK_SMTP_PORT;" "$1" && grep -q "$MT_DB" "$1" ||
		{ echo "# cannot adapt guichet.conf (layout changed?)" >&2; exit 1; }
}

mt_conf_set() { sed -i "$1" "$MT_CONF"; }

# sqlite3 on the test store; waits up to 10 s for a lock guichet holds
# (as guichet does), instead of failing at once under load
mt_sql() { sqlite3 -batch -cmd ".timeout 10000" "$MT_DB" "$@"; }
