#!/bin/bash
# kinds: every kind of mail through the real mail stack (Exim in, Dovecot,
# `guichet run --once`, Exim out).  Three people's requests are counted
# and acknowledged; a bounce, a plain-text delivery report, a receipt, a
# newsletter without list headers, a calendar invitation, spam with and
# without a server verdict and the delegate's own "Merci, je regarde ça
# demain" are stored, never answered, in no figure, and listed in the
# digest's "not counted" section; a thank-you answering our
# acknowledgment is a follow-up without reply; a burst from one sender
# opens flood_requests requests and joins the rest to the latest one;
# promote and demote by command line and by mail change `stats` at once
# and identically, and references are never given twice.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start kinds
T="$MT_ROOT/tests"
K="$T/fixtures/kinds"
SECRET=Kd8s2Pq9Xw4mN7
printf '%s\n' "$SECRET" > "$MT_DIR/secret"; chmod 600 "$MT_DIR/secret"
mt_conf_set "s|# secret_file = .*|secret_file = \"$MT_DIR/secret\";|"

total() { g stats 2>/dev/null | sed -n '1s/.*: *\([0-9][0-9]*\)$/\1/p'; }
person() {	# user subject body...: a person's plain-text mail
	local u=$1 s=$2; shift 2
	{ printf 'From: %s <%s@example.test>\nTo: contact@example.test\nSubject: %s\n' "$u" "$u" "$s"
	  printf 'Message-ID: <%s.%s.%s@example.test>\nDate: %s\n' "$u" "$RANDOM" "$(date +%s%N)" "$(date -R)"
	  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
	  printf '%s\n' "$@"; }
}
send() { "$T/sendmail.py" --to contact@example.test "$@" >/dev/null || mt_fail "smtp: $*"; }

# 1. Three requests and every kind that is not one.
person alice "Cours de français" "Bonjour, je cherche un cours de français le soir à Chippis." \
	"Merci, Alice" > "$MT_DIR/r1.eml"
person ana "Autorização de residência" "Bom dia, como renovo a minha autorização B?" > "$MT_DIR/r2.eml"
person olena "Школа для дитини" "Добрий день, як записати сина до школи в Сьєрі?" > "$MT_DIR/r3.eml"
for f in r1 r2 r3; do send "$MT_DIR/$f.eml"; done
for f in "$T/fixtures/loops/robot/postfix-dsn.eml" "$K/robot/dsn-plain-text.eml"; do
	send --from "" "$f"
done
send "$K/robot/receipt-delivered-outlook.eml"
send "$K/robot/newsletter-association-html.eml"
send "$K/robot/invite-google.eml"
send "$K/spam/verdict-spamassassin.eml"
send "$K/spam/scam-419.eml"
{ printf 'From: =?utf-8?q?D=C3=A9l=C3=A9gu=C3=A9e?= <delegate@example.test>\n'
  printf 'To: contact@example.test\nSubject: Re: Nouvelle demande\nMessage-ID: <own.%s@example.test>\n' "$RANDOM"
  printf 'Date: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n' "$(date -R)"
  printf 'Content-Transfer-Encoding: 8bit\n\nMerci, je regarde ça demain.\nMarie\n'; } > "$MT_DIR/own.eml"
send "$MT_DIR/own.eml"
NOT_REQUESTS=8
g run --once > "$MT_DIR/run1.out" 2>&1 || mt_fail "run --once exits 0"
mt_eq "every mail stored" $((3 + NOT_REQUESTS)) "$(mt_sql "SELECT count(*) FROM messages WHERE direction = 'in'")"
mt_eq "stats counts the three requests only" 3 "$(total)"
mt_eq "three references given" 3 "$(mt_sql "SELECT count(*) FROM requests")"
mt_eq "the kinds stored" "own|1 request|3 robot|5 spam|2" \
	"$(mt_sql "SELECT kind, count(*) FROM messages WHERE direction = 'in' GROUP BY kind ORDER BY kind" | tr '\n' ' ' | sed 's/ $//')"
mt_eq "only people are answered" "alice@example.test ana@example.test olena@example.test" \
	"$(mt_sql "SELECT rcpt FROM outbox WHERE kind IN ('ack', 'orientation') ORDER BY rcpt" | tr '\n' ' ' | sed 's/ $//')"
for u in alice ana olena; do
	"$T/mailbox.py" $u count --wait 1 > "$MT_DIR/$u.count" 2>&1
	mt_eq "$u: one acknowledgment" 1 "$(cat "$MT_DIR/$u.count")"
done
mt_eq "the delegate's mail is not answered" 0 "$(mt_sql "SELECT count(*) FROM outbox WHERE rcpt = 'delegate@example.test' AND kind IN ('ack','orientation')")"
mt_check "each kind logged with its reason" grep -q "not a request, kind spam: server verdict" "$MT_DIR/run1.out"

# 2. A thank-you answering the acknowledgment: a follow-up, no reply, no request.
ACK=$(mt_sql "SELECT message_id FROM outbox WHERE rcpt = 'alice@example.test' AND kind IN ('ack','orientation')")
R1=$(mt_sql "SELECT r.ref FROM requests r WHERE r.sender_addr = 'alice@example.test'")
{ printf 'From: alice <alice@example.test>\nTo: contact@example.test\nSubject: Re: %s\n' "$R1"
  printf 'In-Reply-To: <%s>\nMessage-ID: <thanks.%s@example.test>\nDate: %s\n' "$ACK" "$RANDOM" "$(date -R)"
  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nMerci beaucoup !\n'; } > "$MT_DIR/thanks.eml"
send "$MT_DIR/thanks.eml"
g run --once > "$MT_DIR/run2.out" 2>&1
mt_eq "the thank-you is a follow-up of $R1" "followup|$R1" "$(mt_sql "SELECT m.kind, r.ref FROM messages m
	JOIN requests r ON r.id = m.request_id WHERE m.message_id LIKE 'thanks.%'")"
mt_eq "no new request, no reply" "3|3" "$(mt_sql "SELECT (SELECT count(*) FROM requests),
	(SELECT count(*) FROM outbox WHERE kind IN ('ack','orientation'))")"

# 3. A burst from one sender: flood_requests (5) requests, the rest follow-ups.
for i in $(seq 1 12); do
	person carlos "Pergunta $i" "Bom dia, tenho uma pergunta número $i sobre a escola." > "$MT_DIR/flood$i.eml"
	send "$MT_DIR/flood$i.eml"
done
g run --once > "$MT_DIR/run3.out" 2>&1
mt_eq "the burst: 5 requests, all 12 stored" "5|12" "$(mt_sql "SELECT
	(SELECT count(*) FROM requests WHERE sender_addr = 'carlos@example.test'),
	(SELECT count(*) FROM messages WHERE from_addr = 'carlos@example.test')")"
mt_eq "the other 7 joined the latest as flood follow-ups" 7 \
	"$(mt_sql "SELECT count(*) FROM messages WHERE flood = 1 AND kind = 'followup'")"
mt_eq "stats: 3 + 5" 8 "$(total)"
g digest --stdout --since "$(date -d '-1 hour' '+%Y-%m-%d %H:%M')" > "$MT_DIR/digest.eml" 2>&1
python3 - "$MT_DIR/digest.eml" > "$MT_DIR/digest.txt" <<'PY'
import sys, email
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
print(m.get_body(("plain",)).get_content())
PY
mt_check "the digest lists what is not counted" grep -q "NON COMPTÉS COMME DEMANDES ($NOT_REQUESTS)" "$MT_DIR/digest.txt"
mt_check "the digest names the spam" grep -q "message indésirable" "$MT_DIR/digest.txt"
mt_check "the digest says how many further messages" grep -q "+ 7 autres messages de cet expéditeur" "$MT_DIR/digest.txt"

# 4. Corrections: promote by command line, demote by mail, and the reverse.
NEWS=$(mt_sql "SELECT id FROM messages WHERE subject LIKE 'Lettre d''information%'")
g promote "$NEWS" > "$MT_DIR/p1.out" 2>&1 || mt_fail "promote exits 0"
mt_eq "promote by command line: +1 at once" 9 "$(total)"
P1=$(mt_sql "SELECT r.ref FROM messages m JOIN requests r ON r.id = m.request_id WHERE m.id = $NEWS")
mt_check "it got a new reference" test -n "$P1"
mt_eq "promoted, not acknowledged" "0" "$(mt_sql "SELECT count(*) FROM outbox o JOIN requests r
	ON r.id = o.request_id WHERE r.ref = '$P1'")"
cmd() {	# subject-less command mail with the secret
	{ printf 'From: =?utf-8?q?D=C3=A9l=C3=A9gu=C3=A9e?= <delegate@example.test>\n'
	  printf 'To: contact@example.test\nSubject: commandes [%s]\nMessage-ID: <cmd.%s.%s@example.test>\n' "$SECRET" "$RANDOM" "$(date +%s%N)"
	  printf 'Date: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s\n' "$(date -R)" "$1"; } > "$MT_DIR/cmd.eml"
	send "$MT_DIR/cmd.eml"
	g run --once >> "$MT_DIR/cmds.out" 2>&1
}
cmd "#pasdemande $P1"
mt_eq "demote by mail: -1 at once" 8 "$(total)"
INVITE=$(mt_sql "SELECT id FROM messages WHERE kind = 'robot' AND subject LIKE 'Invitation:%'")
cmd "#demande $INVITE"
mt_eq "promote by mail: +1 at once, as by command line" 9 "$(total)"
P2=$(mt_sql "SELECT r.ref FROM messages m JOIN requests r ON r.id = m.request_id WHERE m.id = $INVITE")
g demote "$P2" > "$MT_DIR/d1.out" 2>&1 || mt_fail "demote exits 0"
mt_eq "demote by command line: -1 at once, as by mail" 8 "$(total)"
mt_eq "both ways leave the same events" "demoted|2 promoted|2" \
	"$(mt_sql "SELECT kind, count(*) FROM events WHERE kind IN ('promoted','demoted') GROUP BY kind ORDER BY kind" | tr '\n' ' ' | sed 's/ $//')"
g promote "$P1" > /dev/null 2>&1
mt_eq "a demoted request counts again when promoted, with its reference" "9|request" \
	"$(total)|$(mt_sql "SELECT kind FROM requests WHERE ref = '$P1'")"
mt_eq "references are never given twice" "$(mt_sql "SELECT count(*) FROM requests")" \
	"$(mt_sql "SELECT count(DISTINCT ref) FROM requests")"
g reclassify --since 2000-01-01 > /dev/null 2>&1
mt_eq "reclassify undoes no correction" "9|robot" "$(total)|$(mt_sql "SELECT kind FROM requests WHERE ref = '$P2'")"
mt_eq "export counts the same requests" 9 "$(g export --year "$(date +%Y)" --format json 2>/dev/null |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["requests_total"])' 2>/dev/null)"
g report --year "$(date +%Y)" -o "$MT_DIR/r.html" > /dev/null 2>&1 || mt_fail "report exits 0"
mt_check "the annual report counts the same requests" grep -q "le guichet a reçu 9 demandes" "$MT_DIR/r.html"
mt_done
