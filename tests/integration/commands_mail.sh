#!/bin/bash
# commands_mail: the delegate works from their mailbox (issue 9), on the
# project's mail stack, whose Exim writes "Authentication-Results:
# mail.example.test; auth=pass smtp.auth=USER" on top of what its users
# send (SMTP AUTH), "none" on the rest.  A command mail sent by the
# delegate through SMTP AUTH and read by
# `guichet run --once` changes the store exactly as the same commands on
# the command line (on a copy of the store) and gets one answer with the
# report and CSV attached; fetched again it runs nothing twice.  A forged
# command (right From, no authentication; a forged Authentication-Results
# of the trusted id below the server's, or of another id; SMTP AUTH as
# another user) changes nothing and is
# stored as mail of kind command (refused), not a request, with a command-refused event.  The secret
# (subject token, plus address) authenticates.  The monthly figures and the
# January report are each sent once for their period, also across
# restarts with the mail queued but not yet sent.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start commands_mail
T="$MT_ROOT/tests"
SECRET=Zq7x9Kp2Lm4vW8
printf '%s\n' "$SECRET" > "$MT_DIR/secret"; chmod 600 "$MT_DIR/secret"
mt_conf_set "s|# secret_file = .*|secret_file = \"$MT_DIR/secret\";|"
grep -q "secret_file = \"$MT_DIR/secret\"" "$MT_CONF" || mt_fail "secret_file set in the config"
mt_conf_set 's|authserv_id = .*|authserv_id = "mail.example.test";|'

# Three requests, their replies sent (so sending adds nothing later).
g ingest "$T/labelled/fr-cours-francais-soir.eml" "$T/labelled/fr-logement-recherche.eml" \
	"$T/labelled/fr-creche-place.eml" > "$MT_DIR/seed.out" 2>&1 || mt_fail "seed ingest"
g send > /dev/null 2>&1
ref() { mt_sql "SELECT ref FROM requests ORDER BY id LIMIT 1 OFFSET $1"; }
R1=$(ref 0) R2=$(ref 1) R3=$(ref 2)
YEAR=$(date +%Y)
MONTH_FR=$(python3 -c "import datetime; print(['janvier','février','mars','avril','mai','juin','juillet','août','septembre','octobre','novembre','décembre'][datetime.date.today().month-1])")
mt_eq "three requests seeded" 3 "$(mt_sql "SELECT count(*) FROM requests")"
CLI="$MT_DIR/cli.db"
mt_sql ".backup '$CLI'"

# What the delegate's mail program sends: $1 file, $2 Message-ID, $3 extra headers, $4 subject, body on stdin
mail() {
	{ printf '%b' "$3"
	  printf 'From: =?utf-8?q?D=C3=A9l=C3=A9gu=C3=A9e?= <delegate@example.test>\n'
	  printf 'To: %s\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n' "${TO:-contact@example.test}" "$4" "$2" "$(date -R)"
	  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
	  cat; } > "$1"
}
send() { "$T/sendmail.py" --from delegate@example.test --to contact@example.test "$1" >/dev/null; }
send_as() {	# file user: through SMTP AUTH as user
	"$T/sendmail.py" --starttls --ca "$MAILSTACK_CA" --user "$2" \
		--password-file "$MAILSTACK_PWDIR/$2" --to contact@example.test "$1" >/dev/null
}
snap() {	# the store as the delegate's verbs change it, refs R1..R3 only
	sqlite3 -batch "$1" "SELECT ref, status, domain, topic, requester, commune, language, urgent,
	    closed IS NOT NULL FROM requests WHERE ref IN ('$R1','$R2','$R3') ORDER BY ref;
	  SELECT r.ref, e.kind, e.detail FROM events e JOIN requests r ON r.id = e.request_id
	    WHERE r.ref IN ('$R1','$R2','$R3') ORDER BY e.request_id, e.id;
	  SELECT t.date, t.minutes, t.kind, r.ref, t.note FROM time_log t
	    LEFT JOIN requests r ON r.id = t.request_id ORDER BY t.id;"
}

# 1. The authenticated command mail, a reply above a quoted digest.
mail "$MT_DIR/cmd.eml" "cmd-1@example.test" "" "Re: Résumé du jour" <<EOF
#fermer $R1
#etiquette $R2 domain=langue topic=cours_langue
#temps 45 entretien $R2
#note $R3 rappeler lundi
#zeit 30 telefon
#domaine $R3 nimportequoi
#rapport $YEAR
#stats $MONTH_FR

Merci !

Le $(date +%d.%m.%Y), guichet a écrit :
> #fermer $R3
> Demandes reçues : 3
EOF
send_as "$MT_DIR/cmd.eml" delegate || mt_fail "command mail sent by SMTP AUTH"
g run --once > "$MT_DIR/run1.out" 2>&1
mt_eq "run --once exits 0" 0 $?
g --db "$CLI" close "$R1" > /dev/null
g --db "$CLI" label "$R2" domain=langue topic=cours_langue > /dev/null
g --db "$CLI" log add --minutes 45 --kind entretien --request "$R2" > /dev/null
g --db "$CLI" note "$R3" rappeler lundi > /dev/null
g --db "$CLI" log add --minutes 30 --kind telephone > /dev/null
g --db "$CLI" label "$R3" domain=nimportequoi > /dev/null 2>&1
snap "$MT_DB" > "$MT_DIR/mail.snap"; snap "$CLI" > "$MT_DIR/cli.snap"
if diff -u "$MT_DIR/cli.snap" "$MT_DIR/mail.snap" > "$MT_DIR/snap.diff"; then
	mt_ok "the commands by mail changed the store exactly as the command line"
else
	mt_fail "store after the mail differs from the CLI's"; sed 's/^/# /' "$MT_DIR/snap.diff"
fi
mt_eq "closed by mail" closed "$(mt_sql "SELECT status FROM requests WHERE ref = '$R1'")"
mt_eq "the command mail is no request" 3 "$(mt_sql "SELECT count(*) FROM requests")"
mt_eq "its message row: stored, no request, reply command" "stored||command" \
	"$(mt_sql "SELECT status, request_id, reply FROM messages WHERE message_id = 'cmd-1@example.test'")"
mt_eq "of the command mail only its command lines are kept" "0|1|0" "$(mt_sql "SELECT raw IS NOT NULL,
	text LIKE '#fermer %', instr(text, 'Demandes reçues') FROM messages WHERE message_id = 'cmd-1@example.test'")"
mt_eq "one answer queued and sent" "command|sent" "$(mt_sql "SELECT kind, status FROM outbox WHERE kind = 'command'")"
"$T/mailbox.py" delegate dump --wait 1 "$MT_DIR/got1" || mt_fail "the answer arrived"
mt_eq "no mail in the contact INBOX (moved)" 0 "$("$T/mailbox.py" contact count)"

python3 - "$MT_DIR/got1" "$R1" "$R2" "$R3" "$YEAR" <<'PY' > "$MT_DIR/checks1"
import email, glob, os, sys
from email import policy
d, r1, r2, r3, year = sys.argv[1:]
files = sorted(glob.glob(os.path.join(d, "*.eml")))
def ok(c, what): print(("PASS" if c else "FAIL") + "|" + what)
ok(len(files) == 1, "exactly one answer (got %d)" % len(files))
m = email.message_from_bytes(open(files[0], "rb").read(), policy=policy.default)
ok(str(m["Subject"]) == "Re: Résumé du jour", "Subject Re: <subject> (%s)" % m["Subject"])
ok(str(m["In-Reply-To"]).strip() == "<cmd-1@example.test>", "In-Reply-To the command mail")
ok(str(m["To"]).strip() == "delegate@example.test", "to the sender")
ok(str(m["Auto-Submitted"]).strip() == "auto-generated", "Auto-Submitted: auto-generated")
body = m.get_body(("plain",)).get_content()
ok("%s fermée" % r1 in body, "answer: closed")
ok("Enregistré : 45 min (entretien de conseil)" in body and "Enregistré : 30 min (téléphone)" in body,
   "answer: both times logged (#zeit telefon = telephone)")
ok("Note ajoutée à %s" % r3 in body, "answer: note added")
ok("Non fait" in body and "Forme correcte : #domaine REF DOMAINE" in body,
   "answer: the bad domain not done, with the correct form")
ok("Chiffres clés %s" % year in body, "answer: key figures of the report")
ok("Demandes reçues du" in body and "Total" in body, "answer: the stats tables in the body")
ok("#fermer %s" % r3 not in body, "the quoted command was not run")
names = sorted(p.get_filename() for p in m.iter_attachments() if p.get_filename())
want = sorted(["rapport-%s.html" % year, "export-canton-%s.csv" % year])
ok(all(w in names for w in want) and any(n.startswith("stats-") and n.endswith(".csv") for n in names),
   "attachments: report, canton export, stats CSV (%s)" % names)
for p in m.iter_attachments():
    if p.get_filename() == "rapport-%s.html" % year:
        ok("Rapport d'activité %s" % year in p.get_content(), "the HTML report is the year's")
PY
while IFS='|' read -r v what; do
	if [ "$v" = PASS ]; then mt_ok "$what"; else mt_fail "$what"; fi
done < "$MT_DIR/checks1"
grep -q "commands run, answer queued" "$MT_DIR/run1.out" || mt_fail "the daemon logged the command mail"

# 2. The same mail fetched again: nothing twice.
send_as "$MT_DIR/cmd.eml" delegate
g run --once > "$MT_DIR/run2.out" 2>&1
snap "$MT_DB" > "$MT_DIR/mail2.snap"
mt_check "the same command mail again changes nothing" cmp -s "$MT_DIR/mail.snap" "$MT_DIR/mail2.snap"
mt_eq "and queues no second answer" 1 "$(mt_sql "SELECT count(*) FROM outbox WHERE kind = 'command'")"
# the same bytes as delivered (CRLF, trace headers aside) through ingest
sed 's/$/\r/' "$MT_DIR/cmd.eml" > "$MT_DIR/cmd-crlf.eml"
mt_check "ingest of the delivered bytes: duplicate" sh -c "'$GUICHET' --config '$MT_CONF' ingest --json '$MT_DIR/cmd-crlf.eml' | grep -q '\"status\":\"duplicate\"'"

# ingest --json on a store copy prints reply "command"
cp "$CLI" "$MT_DIR/json.db"
{ echo "Authentication-Results: mail.example.test; auth=pass smtp.auth=delegate"
  sed 's/cmd-1@/cmd-json@/' "$MT_DIR/cmd.eml"; } > "$MT_DIR/cmd-json.eml"
mt_check "ingest --json: reply command" sh -c "'$GUICHET' --config '$MT_CONF' --db '$MT_DIR/json.db' ingest --json '$MT_DIR/cmd-json.eml' | grep -q '\"reply\":\"command\"'"

# 3. Forged, with the delegate's From: no authentication; a forged
#    Authentication-Results of the trusted id (below the server's); one of
#    another authserv-id; SMTP AUTH as alice.
before=$(snap "$MT_DB")
mail "$MT_DIR/forged1.eml" "forged-1@evil.test" "" "commandes" <<EOF
#fermer $R2
#note $R2 forged
EOF
mail "$MT_DIR/forged2.eml" "forged-2@evil.test" \
	"Authentication-Results: mail.example.test; dkim=pass header.d=example.test;\n\tspf=pass smtp.mailfrom=delegate@example.test; auth=pass smtp.auth=delegate\n" \
	"commandes" <<EOF
#fermer $R3
EOF
mail "$MT_DIR/forged3.eml" "forged-3@evil.test" \
	"Authentication-Results: mx.evil.test; dkim=pass header.d=example.test; spf=pass smtp.mailfrom=delegate@example.test\n" \
	"commandes" <<EOF
#fermer $R3
EOF
mail "$MT_DIR/forged4.eml" "forged-4@evil.test" "" "commandes" <<EOF
#etiquette $R2 urgent=oui
EOF
send "$MT_DIR/forged1.eml"; send "$MT_DIR/forged2.eml"; send "$MT_DIR/forged3.eml"
send_as "$MT_DIR/forged4.eml" alice
g run --once > "$MT_DIR/run3.out" 2>&1
mt_eq "forged commands change nothing" "$before" "$(snap "$MT_DB")"
mt_eq "refused commands are no requests" 3 "$(mt_sql "SELECT count(*) FROM requests")"
mt_eq "stored as kind command, refused" 4 "$(mt_sql "SELECT count(*) FROM messages
	WHERE kind = 'command' AND request_id IS NULL AND kind_reason LIKE 'command mail refused%'
	AND message_id LIKE 'forged-%@evil.test'")"
mt_eq "each with a command-refused event" 4 "$(mt_sql "SELECT count(*) FROM events
	WHERE kind = 'command-refused' AND request_id IS NULL")"
mt_check "the refusal says why" sh -c "sqlite3 '$MT_DB' \"SELECT detail FROM events WHERE kind = 'command-refused'\" | grep -q 'non authentifié'"
mt_eq "no refusal holds the secret" 0 "$(mt_sql "SELECT count(*) FROM events WHERE detail LIKE '%$SECRET%'")"
mt_eq "no answer to a forged command, one explanation to the delegate address" 2 "$("$T/mailbox.py" delegate count)"
mt_eq "one explanation for the day's four refusals" "1|4" "$(mt_sql "SELECT (SELECT count(*) FROM outbox
	WHERE kind = 'notice' AND rcpt = 'delegate@example.test'), (SELECT count(*) FROM events
	WHERE kind = 'command-unauthenticated')")"
grep -q "command mail refused" "$MT_DIR/run3.out" || mt_fail "refusal logged"

# 4. The secret: as [token] in the subject, then as a plus address.
mail "$MT_DIR/secret1.eml" "secret-1@example.test" "" "Re: Résumé [$SECRET]" <<EOF
#notiz $R3 par le secret
EOF
TO="contact+$SECRET@example.test" mail "$MT_DIR/secret2.eml" "secret-2@example.test" "" "commandes" <<EOF
#rouvrir $R1
EOF
send "$MT_DIR/secret1.eml"; send "$MT_DIR/secret2.eml"
g run --once > "$MT_DIR/run4.out" 2>&1
mt_eq "secret in the subject: note added" 1 "$(mt_sql "SELECT count(*) FROM events WHERE kind = 'note' AND detail = 'par le secret'")"
mt_eq "secret as plus address: reopened" open "$(mt_sql "SELECT status FROM requests WHERE ref = '$R1'")"
"$T/mailbox.py" delegate dump --wait 3 "$MT_DIR/got4" || mt_fail "two more answers"
mt_check "no answer carries the secret" sh -c "! grep -rq '$SECRET' '$MT_DIR/got4'"

# 5. Scheduled reports: the first working day of next month, then January.
eval "$(python3 - <<'PY'
import datetime, zoneinfo
tz = zoneinfo.ZoneInfo("Europe/Zurich")
now = datetime.datetime.now(tz)
def fwd(y, m):
    d = datetime.date(y, m, 2 if m == 1 else 1)
    while d.weekday() >= 5:
        d += datetime.timedelta(1)
    return d
def at(d, h): return int(datetime.datetime(d.year, d.month, d.day, h, tzinfo=tz).timestamp())
ny, nm = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
d1 = fwd(ny, nm)
print("T_BEFORE=%d" % (at(d1, 8) - 86400 * (d1.day)))   # the last day of this month
print("T1=%d PERIOD=%04d-%02d" % (at(d1, 8), now.year, now.month))
dj = fwd(now.year + 1, 1)
print("TJ=%d TJ_LATER=%d" % (at(dj, 9), at(dj, 15)))
print("JAN1=%d" % at(datetime.date(now.year + 1, 1, 1), 10))
PY
)"
# In December next month is January: keep the annual report for the January steps.
DECEMBER=$([ "$(date +%m)" = 12 ] && echo yes)
[ -n "$DECEMBER" ] && mt_conf_set 's|annual = true;|annual = false;|'
GUICHET_NOW=$T_BEFORE g run --once > "$MT_DIR/run5.out" 2>&1
mt_eq "before the first working day: no monthly mail" 0 "$(mt_sql "SELECT count(*) FROM periods WHERE kind <> 'refusal-notice'")"
GUICHET_NOW=$T1 g run --once > "$MT_DIR/run6.out" 2>&1
mt_eq "first working day: the monthly mail queued once" "monthly|$PERIOD" "$(mt_sql "SELECT kind, period FROM periods WHERE kind <> 'refusal-notice'")"
GUICHET_NOW=$((T1 + 7200)) g run --once > "$MT_DIR/run7.out" 2>&1
GUICHET_NOW=$((T1 + 86400)) g schedule > "$MT_DIR/sched.out" 2>&1
mt_eq "after restarts: still one monthly mail" 1 "$(mt_sql "SELECT count(*) FROM outbox WHERE kind = 'report'")"
"$T/mailbox.py" delegate dump --wait 4 "$MT_DIR/got5" > /dev/null || mt_fail "the monthly mail arrived"
python3 - "$MT_DIR/got5" "$PERIOD" <<'PY' > "$MT_DIR/checks5"
import email, glob, os, sys
from email import policy
d, period = sys.argv[1:]
def ok(c, what): print(("PASS" if c else "FAIL") + "|" + what)
ms = [email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
      for f in sorted(glob.glob(os.path.join(d, "*.eml")))]
mon = [m for m in ms if str(m["Subject"]).startswith("Chiffres de")]
ok(len(mon) == 1, "one monthly mail (got %d)" % len(mon))
if mon:
    m = mon[0]
    ok("Demandes reçues du" in m.get_body(("plain",)).get_content(), "monthly: the stats tables in the body")
    names = [p.get_filename() for p in m.iter_attachments()]
    ok(names == ["stats-%s.csv" % period], "monthly: the CSV attached (%s)" % names)
PY
while IFS='|' read -r v what; do
	if [ "$v" = PASS ]; then mt_ok "$what"; else mt_fail "$what"; fi
done < "$MT_DIR/checks5"

[ -n "$DECEMBER" ] && mt_conf_set 's|annual = false;|annual = true;|'
# January: queued by `guichet schedule`, which then stops (a restart with
# the mail still queued); the next runs queue nothing more, the daemon sends.
GUICHET_NOW=$JAN1 g schedule > "$MT_DIR/jan1.out" 2>&1
mt_check "1 January is no working day" grep -q "nothing due" "$MT_DIR/jan1.out"
GUICHET_NOW=$TJ g schedule > "$MT_DIR/janA.out" 2>&1
mt_check "January: the annual report queued" grep -q "annual $YEAR: queued" "$MT_DIR/janA.out"
GUICHET_NOW=$TJ g schedule > "$MT_DIR/janB.out" 2>&1
mt_check "restart before sending: nothing queued twice" grep -q "nothing due" "$MT_DIR/janB.out"
GUICHET_NOW=$TJ_LATER g run --once > "$MT_DIR/run8.out" 2>&1
GUICHET_NOW=$TJ_LATER g run --once > "$MT_DIR/run9.out" 2>&1
mt_eq "one annual period, sent" "annual|$YEAR|sent" "$(mt_sql "SELECT p.kind, p.period, o.status FROM periods p JOIN outbox o ON o.id = p.outbox_id WHERE p.kind = 'annual'")"
mt_eq "nothing left queued" 0 "$(mt_sql "SELECT count(*) FROM outbox WHERE status = 'queued'")"
n_month=$(mt_sql "SELECT count(*) FROM periods WHERE kind = 'monthly'")
"$T/mailbox.py" delegate dump --wait $((4 + n_month)) "$MT_DIR/got6" > /dev/null || mt_fail "the January mails arrived"
python3 - "$MT_DIR/got6" "$YEAR" "$n_month" <<'PY' > "$MT_DIR/checks6"
import email, glob, os, sys
from email import policy
d, year, n_month = sys.argv[1], sys.argv[2], int(sys.argv[3])
def ok(c, what): print(("PASS" if c else "FAIL") + "|" + what)
ms = [email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
      for f in sorted(glob.glob(os.path.join(d, "*.eml")))]
ann = [m for m in ms if str(m["Subject"]).startswith("Rapport d'activité %s" % year)]
mon = [m for m in ms if str(m["Subject"]).startswith("Chiffres de")]
ok(len(ann) == 1, "one annual report mail (got %d)" % len(ann))
ok(len(mon) == n_month, "one mail per monthly period (%d, got %d)" % (n_month, len(mon)))
if ann:
    m = ann[0]
    ok("Chiffres clés %s" % year in m.get_body(("plain",)).get_content(), "annual: key figures in the body")
    names = sorted(p.get_filename() for p in m.iter_attachments())
    ok(names == sorted(["rapport-%s.html" % year, "export-canton-%s.csv" % year]),
       "annual: report and canton export attached (%s)" % names)
PY
while IFS='|' read -r v what; do
	if [ "$v" = PASS ]; then mt_ok "$what"; else mt_fail "$what"; fi
done < "$MT_DIR/checks6"

mt_done
