#!/bin/bash
# valgrind-daemon: the end-to-end daemon scenario under valgrind memcheck,
# zero errors and no definite leaks required.  On the project's mail stack:
# three requests waiting (plain, HTML alternative, attachment) handled by
# `guichet run --once` (fetch, parse, store, acknowledgments sent, moved);
# then `guichet run` in IDLE mode gets two more while idling and stops on
# SIGTERM.  Third-party library noise only is suppressed (tests/valgrind.supp).
# Skipped (exit 0, with a message) when valgrind is not installed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v valgrind >/dev/null; then
	echo "SKIP: valgrind is not installed (make deps)"
	exit 0
fi
: "${GUICHET:=$ROOT/guichet}"
if grep -qa __asan_init "$GUICHET" 2>/dev/null; then
	echo "SKIP: $GUICHET is built with AddressSanitizer, which valgrind cannot run"
	exit 0
fi
: "${TESTS_TMP:=/tmp}"
W=$(mktemp -d "$TESTS_TMP/valgrind-daemon.XXXXXX")
chmod 755 "$W"
MAILSTACK_BASE_PORT=35000
WAIT_S=60
. "$ROOT/tests/daemon-lib.sh"
trap 'cleanup; [ -n "${VG_KEEP:-}" ] || rm -rf "$W"' EXIT
VG=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-fds=no --num-callers=30
    --suppressions="$ROOT/tests/valgrind.supp" --gen-suppressions=all)

# vg_check LOG WHAT: no errors, no definite leak in a valgrind log.
vg_check() {
	grep -q "ERROR SUMMARY: 0 errors" "$1" || { sed -n '/^==[0-9]*== [A-Z].*/p' "$1" | head -60; fail "$2: valgrind errors (log above)"; }
	if grep -q "definitely lost: [1-9]" "$1"; then
		grep -A25 "definitely lost in" "$1" | head -80
		fail "$2: definite leak"
	fi
}

stack_start || fail "mail stack"
write_config "$W/guichet.conf"
make_eml "$W/m1.eml" "Ana Silva" ana@example.test "Pedido de ajuda: autorização de residência" \
	"Bom dia, preciso de ajuda com a renovação da minha autorização de residência. Obrigada."
{ printf 'From: Bob <bob@example.test>\nTo: contact@example.test\nSubject: =?utf-8?q?Cours_de_fran=C3=A7ais?=\nDate: %s\nMessage-ID: <vg2.%s@example.test>\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b1"\n\n' "$(date -R)" "$RANDOM"
  printf -- '--b1\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nBonjour, je cherche un cours de fran=E7ais le soir.\n'
  printf -- '--b1\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Bonjour, je cherche un <b>cours de fran&ccedil;ais</b> le soir.</p></body></html>\n--b1--\n'; } > "$W/m2.eml"
{ printf 'From: Sara <sara@example.test>\nTo: contact@example.test\nSubject: Frage zur Wohnung\nDate: %s\nMessage-ID: <vg3.%s@example.test>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b2"\n\n' "$(date -R)" "$RANDOM"
  printf -- '--b2\nContent-Type: text/plain; charset=utf-8\n\nGuten Tag, ich suche eine Wohnung in Siders. Anbei mein Lebenslauf.\n'
  printf -- '--b2\nContent-Type: application/pdf; name="cv.pdf"\nContent-Disposition: attachment; filename="cv.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\n--b2--\n'; } > "$W/m3.eml"
for i in 1 2 3; do send_eml "$W/m$i.eml" || fail "send m$i"; done
three() { [ "$(count contact INBOX)" = 3 ]; }
wait_for three || fail "the three requests did not arrive"

# 1. run --once under memcheck
"${VG[@]}" --log-file="$W/vg-once.log" "$GUICHET" --config "$W/guichet.conf" run --once \
	> "$W/once.out" 2>&1
rc=$?
[ "$rc" = 0 ] || { tail -20 "$W/once.out"; vg_check "$W/vg-once.log" "run --once"; fail "run --once exit $rc"; }
vg_check "$W/vg-once.log" "run --once"
[ "$(sql "SELECT count(*) FROM requests")" = 3 ] || fail "3 requests expected"
acked() { [ "$(count "$1")" -ge 1 ]; }
for u in ana bob sara; do wait_for acked $u || fail "no acknowledgment for $u"; done
ok "run --once under memcheck: 3 requests stored and acknowledged, 0 errors, no definite leak"

# 2. run (IDLE) under memcheck, two requests while idling, SIGTERM
"${VG[@]}" --log-file="$W/vg-run.log" "$GUICHET" --config "$W/guichet.conf" run >>"$W/daemon.log" 2>&1 &
DAEMON_PID=$!
wait_for grep -q "watching INBOX with IDLE" "$W/daemon.log" || fail "daemon under valgrind did not reach IDLE"
make_eml "$W/m4.eml" "Olena" olena@example.test "Курси французької" \
	"Добрий день, чи є безкоштовні курси французької мови для дорослих?"
make_eml "$W/m5.eml" "Luca" luca@example.test "Lavoro" "Buongiorno, cerco lavoro come muratore a Sierre."
send_eml "$W/m4.eml" && send_eml "$W/m5.eml" || fail "send while idling"
for u in olena luca; do wait_for acked $u || fail "no acknowledgment for $u while idling"; done
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID"; rc=$?; DAEMON_PID=
vg_check "$W/vg-run.log" "run"
[ "$rc" = 0 ] || fail "run under valgrind: exit $rc after SIGTERM"
[ "$(sql "SELECT count(*) FROM requests")" = 5 ] || fail "5 requests expected"
ok "run (IDLE) under memcheck: 2 more answered while idling, SIGTERM exit 0, 0 errors, no definite leak"
