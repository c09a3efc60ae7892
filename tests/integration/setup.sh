#!/bin/bash
# setup.sh: `guichet setup` as an IT person runs it, answers on standard
# input, against the project's mail stack: it writes the configuration
# (0640) from the production template and the passwords (0600), logs in
# to both servers, finds the authserv-id of the stack's
# Authentication-Results in a real message, and the result passes
# `check --connect`; it never replaces a filled-in file without --force,
# and a wrong password writes no configuration.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start setup
T="$MT_ROOT/tests"
D="$MT_DIR/etc"; rm -rf "$D"; mkdir -p "$D"
TPL="$MT_DIR/guichet.conf.in"
sed "s|@DATADIR@|$MT_ROOT|g" "$MT_ROOT/systemd/guichet.conf.in" > "$TPL"
"$T/sendmail.py" --from alice@example.test --to contact@example.test \
    --subject "Bonjour" --body "Une question sur les cours de français." > /dev/null
"$T/mailbox.py" contact count --wait 1 > /dev/null
pw=$(cat "$MAILSTACK_DIR/pw/contact")
answers() {	# PASSWORD
	printf '%s\n' "Commune de Chippis" "CHI" "" "delegate@example.test" \
	    "contact@example.test" "tue,thu" "" "11:30" "Bureau communal, Chippis" \
	    "127.0.0.1:$MAILSTACK_IMAP_PORT" "starttls" "contact" "$1" \
	    "127.0.0.1:$MAILSTACK_SMTP_PORT" "" "" "" "$MAILSTACK_DIR/ca.pem"
}
s() { "$GUICHET" --config "$D/guichet.conf" setup --template "$TPL" --credentials "$D/credentials" "$@"; }

answers wrong-password | s > "$MT_DIR/bad.out" 2> "$MT_DIR/bad.err"
mt_eq "a wrong password fails setup" 1 $?
mt_check "and writes no configuration" test ! -e "$D/guichet.conf"
mt_check "it says why" grep -qi "imap\|auth\|login" "$MT_DIR/bad.err"

answers "$pw" | s --force > "$MT_DIR/ok.out" 2> "$MT_DIR/ok.err"
mt_eq "setup exits 0" 0 $?
mt_eq "the configuration is 0640" 640 "$(stat -c %a "$D/guichet.conf")"
mt_eq "the passwords are 0600" "600 600" \
    "$(stat -c %a "$D/credentials/imap") $(stat -c %a "$D/credentials/smtp")"
mt_eq "no password in the configuration" 0 "$(grep -cF "$pw" "$D/guichet.conf")"
mt_eq "nothing left to fill in" 0 "$(grep -c '= "FILL IN' "$D/guichet.conf")"
mt_check "the stack's authserv-id was found in a real message" \
    grep -q 'authserv_id = "mail.example.test";' "$D/guichet.conf"
mt_check "it shows the authserv-id it saw" grep -q 'from "mail.example.test"' "$MT_DIR/ok.out"
CREDENTIALS_DIRECTORY="$D/credentials" "$GUICHET" --config "$D/guichet.conf" \
    --db "$MT_DIR/setup.db" check --connect > "$MT_DIR/check.out" 2>&1
mt_eq "the written file passes check --connect" 0 $?
mt_check "check --connect says commands by mail would be trusted" \
    grep -q 'commands by mail: "mail.example.test" vouches' "$MT_DIR/check.out"
sed 's|authserv_id = "mail.example.test";|authserv_id = "mx.elsewhere.example";|' \
    "$D/guichet.conf" > "$D/other.conf"
CREDENTIALS_DIRECTORY="$D/credentials" "$GUICHET" --config "$D/other.conf" \
    --db "$MT_DIR/setup.db" check --connect > "$MT_DIR/check2.out" 2> "$MT_DIR/check2.err"
mt_check "a wrong authserv_id is a warning with file:line and the right one" \
    grep -q "^$D/other.conf:[0-9]*: warning: commands.authserv_id \"mx.elsewhere.example\" is on none.*\"mail.example.test\"" "$MT_DIR/check2.err"
answers "$pw" | s > "$MT_DIR/again.out" 2> "$MT_DIR/again.err"
mt_eq "a second setup without --force refuses" 1 $?
mt_check "and says --force" grep -q -- "--force" "$MT_DIR/again.err"
mt_done
