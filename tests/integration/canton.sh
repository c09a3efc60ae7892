#!/bin/bash
# canton (issue 14): the canton's figures and the delegate's words, on the
# project's mail stack.  As the delegate, by mail only: log interviews on
# requests of three domains (durations written 1h30, 45min, 1:15), time
# without a request under a domain, correct a domain, ask "#stats YEAR",
# "#rapport YEAR", set the report's comment (#commentaire) and replace it.
# The answer, the report and the export give interviews and minutes by
# domain exact to the minute, in French; no mail the delegate receives
# (answers, explanation, digest, monthly mail) shows a taxonomy code, an
# English word of the code or a terminal hint (delegate_words.txt); a
# forged command is a warning in the next digest and brings one explanation
# a day to the delegate address only; the digest, the monthly mail and the
# report fit 390 px in headless Chromium (screenshots in tests/tmp/canton).
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start canton
T="$MT_ROOT/tests"
OUT="$TESTS_TMP/canton-shots"; rm -rf "$OUT"; mkdir -p "$OUT"
mt_conf_set 's|authserv_id = .*|authserv_id = "mail.example.test";|'
YEAR=$(date +%Y)

# Three requests of three domains (French, so no foreign word is mistaken).
g ingest "$T/labelled/fr-cours-francais-soir.eml" "$T/labelled/fr-logement-recherche.eml" \
	"$T/labelled/fr-creche-place.eml" "$T/labelled/fr-expulsion-urgent.eml" \
	> "$MT_DIR/seed.out" 2>&1 || mt_fail "seed ingest"
g send > /dev/null 2>&1
ref() { mt_sql "SELECT ref FROM requests WHERE domain = '$1' ORDER BY id LIMIT 1"; }
RL=$(ref langue) RI=$(ref information) RP=$(ref petite_enfance)
mt_check "three requests of three domains" test -n "$RL" -a -n "$RI" -a -n "$RP"

mail() {	# file message-id subject, body on stdin
	{ printf 'From: =?utf-8?q?D=C3=A9l=C3=A9gu=C3=A9e?= <delegate@example.test>\n'
	  printf 'To: contact@example.test\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n' "$3" "$2" "$(date -R)"
	  printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
	  cat; } > "$1"
}
send_as() { "$T/sendmail.py" --starttls --ca "$MAILSTACK_CA" --user delegate \
	--password-file "$MAILSTACK_PWDIR/delegate" --to contact@example.test "$1" >/dev/null; }
forge() { "$T/sendmail.py" --from delegate@example.test --to contact@example.test "$1" >/dev/null; }

# 1. Interviews and time, by mail; a domain corrected afterwards.
mail "$MT_DIR/c1.eml" "c1@example.test" "temps" <<EOF
#temps 1h30 entretien $RL
#temps 45min entretien $RI
#temps 1:15 entretien $RP
#temps 20 telephone $RP
#temps 35 seance domaine=langue
#temps 1h30 entretien
#liste statut=ouverte domaine=langue
EOF
send_as "$MT_DIR/c1.eml"
# An error names the valid values (codes to write, labels beside them), so
# this answer alone is left out of the word check below.
mail "$MT_DIR/e1.eml" "e1@example.test" "erreur" <<EOF
#temps 40 entretien domaine=violence
EOF
send_as "$MT_DIR/e1.eml"
g run --once > "$MT_DIR/run1.out" 2>&1 || mt_fail "run 1"
g run --once >> "$MT_DIR/run1.out" 2>&1 || mt_fail "run 1b"
mt_eq "six entries logged (the unknown domain refused)" 6 "$(mt_sql "SELECT count(*) FROM time_log")"
mt_eq "durations read to the minute" "90|45|75|20|35|90" "$(mt_sql "SELECT group_concat(minutes, '|') FROM (SELECT minutes FROM time_log ORDER BY id)")"
mail "$MT_DIR/c2.eml" "c2@example.test" "correction" <<EOF
#domaine $RP interpretariat
EOF
send_as "$MT_DIR/c2.eml"
g run --once > "$MT_DIR/run2.out" 2>&1 || mt_fail "run 2"

# Every other verb once, so that each confirmation is checked below.
mail "$MT_DIR/c5.eml" "c5@example.test" "le reste" <<EOF
#note $RI rappeler lundi
#fermer $RI
#rouvrir $RI
#etiquette $RI domaine=langue theme=cours_langue
#theme $RI logement
#commune $RI Sierre
#demandeur $RI association
#langue $RI de
#urgent $RI oui
#urgent $RI non
#voir $RI
#journal
#liste
#aide
EOF
send_as "$MT_DIR/c5.eml"
g run --once > "$MT_DIR/run2b.out" 2>&1 || mt_fail "run 2b"

# 2. The figures asked by mail, and the comment (set, then replaced).
mail "$MT_DIR/c3.eml" "c3@example.test" "chiffres" <<EOF
#stats $YEAR
#rapport $YEAR
#commentaire $YEAR Une première version.
EOF
send_as "$MT_DIR/c3.eml"
g run --once > "$MT_DIR/run3.out" 2>&1 || mt_fail "run 3"
mail "$MT_DIR/c4.eml" "c4@example.test" "commentaire" <<EOF
#commentaire $YEAR
Les entretiens de conseil ont doublé.

Les cours de langue restent très demandés.
-- 
Déléguée
EOF
send_as "$MT_DIR/c4.eml"
g run --once > "$MT_DIR/run4.out" 2>&1 || mt_fail "run 4"
"$T/mailbox.py" delegate dump --wait 7 --timeout 90 "$MT_DIR/answers" || mt_fail "six answers and the urgent alert arrived"

g report --year "$YEAR" -o "$MT_DIR/report-cli.html" || mt_fail "report"
python3 - "$MT_DIR/report-cli.html" <<'PY' && mt_ok "the report holds the comment sent by mail, the second one, without the signature" || mt_fail "the comment sent by mail in the report"
import sys
p = open(sys.argv[1], encoding="utf-8").read()
sys.exit(0 if "Les entretiens de conseil ont doublé." in p and "Les cours de langue restent" in p
         and "Une première version" not in p and "Déléguée</p>" not in p else 1)
PY

# 3. A forged command (right From, no authentication), twice: kept out of
#    the figures' way, one explanation to the delegate address.
mail "$MT_DIR/f1.eml" "f1@evil.test" "commandes" <<EOF
#fermer $RL
EOF
mail "$MT_DIR/f2.eml" "f2@evil.test" "encore" <<EOF
#temps 600 entretien $RL
EOF
forge "$MT_DIR/f1.eml"; forge "$MT_DIR/f2.eml"
g run --once > "$MT_DIR/run5.out" 2>&1 || mt_fail "run 5"
mt_eq "forged commands run nothing" "open|6" "$(mt_sql "SELECT status, (SELECT count(*) FROM time_log) FROM requests WHERE ref = '$RL'")"
mt_eq "one explanation for two forged mails, to the delegate address only" "1|delegate@example.test" \
	"$(mt_sql "SELECT count(*), group_concat(DISTINCT rcpt) FROM outbox WHERE kind = 'notice'
	AND (request_id IS NULL OR request_id NOT IN (SELECT id FROM requests WHERE urgent = 1))")"
mt_eq "no mail to the forger beyond that" 0 "$(mt_sql "SELECT count(*) FROM outbox WHERE rcpt LIKE '%evil.test%'")"

# The report counts the mail that is no request, by kind (the command mails here).
NCMD=$(mt_sql "SELECT count(*) FROM messages WHERE kind = 'command'")
g report --year "$YEAR" -o "$MT_DIR/report-2.html" || mt_fail "report 2"
mt_check "report: the $NCMD command mails under mail not counted" grep -q \
	"Commandes de la déléguée par courriel</td><td class=\"n\">$NCMD</td>" "$MT_DIR/report-2.html"

# A follow-up on a request of the same period: shown under it in the digest.
FROM=$(mt_sql "SELECT sender_addr FROM requests WHERE ref = '$RI'")
{ printf 'From: <%s>\nTo: contact@example.test\nSubject: Re: %s appartement\n' "$FROM" "$RI"
  printf 'Message-ID: <relance-1@example.org>\nDate: %s\nMIME-Version: 1.0\n' "$(date -R)"
  printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'
  printf 'Bonjour,\nAvez-vous bien reçu ma demande concernant l appartement de la rue du Bourg ?\n'
} > "$MT_DIR/relance.eml"
"$T/sendmail.py" --from "$FROM" --to contact@example.test "$MT_DIR/relance.eml" > /dev/null
g run --once > "$MT_DIR/run5b.out" 2>&1 || mt_fail "run 5b"
mt_eq "the follow-up joined its request" 2 "$(mt_sql "SELECT count(*) FROM messages m JOIN requests r ON r.id = m.request_id WHERE r.ref = '$RI' AND m.direction = 'in'")"

# 4. The digest and the monthly mail, sent by the daemon.
g digest --send > "$MT_DIR/digest.out" 2>&1 || mt_fail "digest --send"
NEXT=$(python3 -c "
import datetime, zoneinfo
tz = zoneinfo.ZoneInfo('Europe/Zurich'); n = datetime.datetime.now(tz)
y, m = (n.year + 1, 1) if n.month == 12 else (n.year, n.month + 1)
d = datetime.date(y, m, 2 if m == 1 else 1)
while d.weekday() >= 5: d += datetime.timedelta(1)
print(int(datetime.datetime(d.year, d.month, d.day, 8, tzinfo=tz).timestamp()))")
mt_conf_set 's|annual = true;|annual = false;|'
GUICHET_NOW=$NEXT g run --once > "$MT_DIR/run6.out" 2>&1 || mt_fail "run 6"
"$T/mailbox.py" delegate dump --wait 10 --timeout 90 "$MT_DIR/all" || mt_fail "explanation, digest and monthly mail arrived"

python3 - "$MT_DIR/all" "$OUT" "$RL" "$RI" "$RP" "$YEAR" <<'PY' > "$MT_DIR/checks"
import csv, email, glob, io, os, re, sys
from email import policy
d, out, rl, ri, rp, year = sys.argv[1:]
def ok(c, what): print(("PASS" if c else "FAIL") + "|" + what)
ms = {}
for f in sorted(glob.glob(os.path.join(d, "*.eml"))):
    m = email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
    ms.setdefault(str(m["In-Reply-To"] or m["Subject"]).strip(), []).append((f, m))
def one(key):
    v = ms.get(key) or []
    return v[0][1] if v else None
def body(m): return m.get_body(("plain",)).get_content() if m else ""
a1, a2, a3, a4, a5 = (one("<c%d@example.test>" % i) for i in range(1, 6))
t5 = body(a5)
ok("Note ajoutée" in t5 and "fermée" in t5 and "rouverte" in t5 and "thème : " in t5
   and "demandeur : personne migrante → association" in t5 and "langue : français → allemand" in t5
   and "urgente : non → oui" in t5 and "Historique" in t5 and "Commandes" in t5,
   "every other verb answered in French")
t1 = body(a1)
te = body(one("<e1@example.test>"))
ok("Enregistré : 1 h 30 (entretien de conseil), le" in t1 and "demande %s" % rl in t1,
   "#temps 1h30: 1 h 30 of counselling on the request")
ok("Enregistré : 35 min (séance)" in t1 and "domaine « Langue »" in t1, "time without a request, under a domain")
ok("domaine « violence » inconnu" in te and "interpretariat (Interprétariat communautaire)" in te,
   "an unknown domain: the valid values listed")
ok("Langue" in t1 and "ouverte" in t1 and rl in t1, "#liste statut=ouverte domaine=langue (French parameters)")
t2 = body(a2)
ok("domaine : Petite enfance → Interprétariat communautaire" in t2, "the correction in French labels (%s)" % t2[:300].replace("\n", " "))
t3 = body(a3)
# #stats YEAR: interviews and minutes by domain, exact, in French
rows = {}
for line in t3.splitlines():
    m = re.match(r"\s*(Langue|Primo-information et conseil|Interprétariat communautaire|Non classé|Total)\s+(\d+)\s+(.+?)\s{2,}(.+?)\s+(\d+)\s*$", line)
    if m:
        rows.setdefault(m.group(1), (int(m.group(2)), m.group(3).strip(), m.group(4).strip(), int(m.group(5))))
want = {"Langue": (1, "1 h 30", "2 h 05", 125), "Primo-information et conseil": (1, "45 min", "45 min", 45),
        "Interprétariat communautaire": (1, "1 h 15", "1 h 35", 95), "Non classé": (1, "1 h 30", "1 h 30", 90),
        "Total": (4, "5 h", "5 h 55", 355)}
ok(all(rows.get(k) == v for k, v in want.items()), "#stats %s: interviews, their time, all time by domain (%s)" % (year, rows))
att = {p.get_filename(): p for p in a3.iter_attachments()} if a3 else {}
rep = att.get("rapport-%s.html" % year)
page = rep.get_content() if rep else ""
if rep:
    open(os.path.join(out, "report.html"), "w", encoding="utf-8").write(page)
ok("Entretiens de conseil et temps par domaine" in page and re.search(r"Interprétariat communautaire</td><td class=\"n\">1</td><td class=\"n\">1\u00a0h\u00a015</td><td class=\"n\">1\u00a0h\u00a035</td>", page) is not None,
   "report: interviews and time by domain to the minute")
for h in ("Thèmes des demandes", "Demandes urgentes", "Délai de la première réponse, mois par mois", "Courriels non comptés comme demandes"):
    ok(h in page, "report: section " + h)
exp = att.get("export-canton-%s.csv" % year)
raw = exp.get_payload(decode=True) if exp else b""
ok(raw.startswith(b"\xef\xbb\xbf"), "export: UTF-8 with BOM")
rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))
ok(rows and rows[0][:4] == ["indicateur", "libellé de l'indicateur", "domaine", "libellé du domaine"], "export: ';', labels beside codes")
ex = {(r[0], r[2]): int(r[11]) for r in rows[1:] if len(r) > 11}
ok(ex.get(("entretiens_conseil_domaine", "interpretariat")) == 1 and ex.get(("entretiens_conseil_domaine_minutes", "interpretariat")) == 75
   and ex.get(("temps_domaine_minutes", "langue")) == 125 and ex.get(("entretiens_conseil", "")) == 4
   and ex.get(("entretiens_conseil_minutes", "")) == 300, "export: interviews and minutes by domain")
ok("Commentaire du rapport %s enregistré" % year in t3, "#commentaire: saved")
ok("remplace le précédent" in body(a4), "#commentaire again: replaced")
# the explanation, the digest, the monthly mail
subj = {str(m["Subject"]): m for v in ms.values() for f, m in v}
expl = [m for s, m in subj.items() if s.startswith("Guichet : commande non exécutée")]
ok(len(expl) == 1 and str(expl[0]["To"]).strip() == "delegate@example.test", "one explanation, to the delegate")
ok(expl and "depuis votre compte" in body(expl[0]) and "mot secret" in body(expl[0]), "the explanation says how to send commands")
dg = [m for s, m in subj.items() if s.startswith("Guichet : résumé")]
dt = body(dg[0]) if dg else ""
ok("Commande refusée : expéditeur non authentifié (2)" in dt, "the digest warns of the two forged commands")
ok("« commandes »" in dt and "« encore »" in dt, "each forged mail named by its subject")
blk = dt[dt.find("* " + ri):][:1500]
ok("1 relance reçue le" in blk and "Avez-vous bien reçu ma demande" in blk,
   "the follow-up shown under its request of the same period")
ok(re.search(r"^\s+1 relance reçue$", dt, re.M) is not None, "and counted at the top")
ok("guichet show" not in dt and "#voir RÉF" in dt, "the footer says how to answer by mail")
ok(any(s.startswith("[URGENT]") for s in subj), "the urgent alert came too (its words are checked below)")
mon = [m for s, m in subj.items() if s.startswith("Chiffres de")]
ok(len(mon) == 1 and mon[0].get_body(("html",)) is not None and "<table" in mon[0].get_body(("html",)).get_content()
   and "<pre" not in mon[0].get_body(("html",)).get_content(), "monthly mail: HTML with tables, a text part")
for name, m in (("digest", dg[0] if dg else None), ("monthly", mon[0] if mon else None),
                ("answer", a3)):
    if m is not None:
        open(os.path.join(out, name + ".html"), "w", encoding="utf-8").write(m.get_body(("html",)).get_content())
print("FILES|" + " ".join(f for k, v in ms.items() for f, m in v if k != "<e1@example.test>"))
PY
files=
while IFS='|' read -r v what; do
	case $v in
	PASS) mt_ok "$what" ;;
	FILES) files=$what ;;
	*) mt_fail "$what" ;;
	esac
done < "$MT_DIR/checks"

# 5. No code, English word or terminal hint in anything the delegate read.
if python3 "$T/integration/delegate_check.py" "$MT_ROOT/rules" "$T/integration/delegate_words.txt" \
	$files "$OUT/report.html" > "$MT_DIR/words.out" 2>&1; then
	mt_ok "no code, English word or terminal hint in $(echo $files | wc -w) mails and the report"
else
	mt_fail "what the delegate reads holds codes or hints"; sed 's/^/# /' "$MT_DIR/words.out" | head -20
fi

# 6. On a phone: 390 px wide, no sideways scrolling.
if python3 "$T/lib/phone.py" "$OUT" digest="$OUT/digest.html" monthly="$OUT/monthly.html" \
	report="$OUT/report.html" answer="$OUT/answer.html" > "$MT_DIR/phone.out"; then
	while read -r name w; do
		mt_eq "$name fits 390 px in Chromium (screenshot $OUT/$name.png)" 390 "$w"
	done < "$MT_DIR/phone.out"
else
	echo "# SKIP phone widths: chromium is not installed (make deps installs it)"
fi
mt_done
