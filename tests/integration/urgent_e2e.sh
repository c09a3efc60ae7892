#!/bin/bash
# urgent_e2e: the urgent path on the project's mail stack (issue 13).
# `guichet run` with two urgent recipients (the delegate, a Dovecot user,
# and the commune's social service, a captured address) and a shortened
# escalation delay.  Urgent requests in seven languages (violence, distress,
# no roof tonight, a child in danger, a medical emergency) each get the
# urgent acknowledgment in their own language with French below, the right
# numbers for the situation and no "within 3 working days"; each gives
# exactly one alert to each recipient, with the full text, the rules that
# fired, Reply-To the sender and no terminal command.  The CHI-2026-0011
# case (a routine request, then "expulsion ce soir" in the same thread)
# alerts too.  After the delay exactly one reminder per request nobody saw;
# none for the one the delegate acknowledged with "#vu REF" by mail; none
# twice across a kill -9 and a restart.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start urgent_e2e
T="$MT_ROOT/tests"
FIX="$T/fixtures/urgent"
DELAY=20
SOCIAL=social@commune.example
mt_conf_set "s|^digest = {|notify = {\n\turgent = [ \"delegate@example.test\", \"$SOCIAL\" ];\n\tescalate_after = $DELAY;\n};\n\ndigest = {|"
mt_conf_set 's|authserv_id = .*|authserv_id = "mail.example.test";|'
mt_conf_set 's|poll_interval = 60;|poll_interval = 5;|'
g check > "$MT_DIR/check.out" 2>&1
mt_eq "configuration with notify.urgent accepted" 0 $?
# Out of office hours (hours as data, closed until tomorrow): the urgent
# acknowledgment says when the desk opens again, in each language.
CLOSED="$MT_DIR/closed.conf"
sed -e "s|^\toffice_hours = .*|\toffice_hours = ( { days = \"mon-sun\"; from = \"08:00\"; to = \"18:00\"; } );\n\toffice_closed = ( { until = \"$(date -d tomorrow +%Y-%m-%d)\"; } );|" \
	"$MT_CONF" > "$CLOSED"
"$GUICHET" --config "$CLOSED" explain --reply "$FIX/ar-violence.eml" > "$MT_DIR/closed.out" 2>&1
mt_check "closed now: the Arabic text says the office is closed and when it opens" \
	grep -q "مكتبنا مغلق الآن. يفتح من جديد: .*$(date -d '2 days' +%Y)" "$MT_DIR/closed.out"
mt_check "closed now: the French text too" grep -q "Notre bureau est fermé maintenant. Il ouvre à nouveau : " "$MT_DIR/closed.out"
"$GUICHET" --config "$MT_CONF" explain --reply "$FIX/ar-violence.eml" > "$MT_DIR/open.out" 2>&1
mt_check "hours unknown: no closed sentence" sh -c "! grep -q 'Notre bureau est fermé' '$MT_DIR/open.out'"
LOG="$MT_DIR/daemon.log"
PID=
start() { "$GUICHET" --config "$MT_CONF" run >> "$LOG" 2>&1 & PID=$!; mt_bg $PID; }
wait_for() {	# seconds command...
	local end=$(( $(date +%s) + $1 )); shift
	while ! "$@"; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.3; done
}
send() { "$T/sendmail.py" --to contact@example.test "$1" > /dev/null; }
kinds() { mt_sql "SELECT count(*) FROM outbox WHERE kind = '$1' AND status = 'sent'"; }
ge() { [ "$(eval "$1")" -ge "$2" ]; }

start
send "$FIX/chi-0011/1-logement.eml"
wait_for 30 ge "mt_sql \"SELECT count(*) FROM requests\"" 1 || mt_fail "the first request of the thread is stored"
for f in "$FIX"/*.eml; do send "$f"; done
send "$FIX/chi-0011/2-expulsion.eml"
N_URGENT=$(ls "$FIX"/*.eml | wc -l)
N_REQ=$((N_URGENT + 1))
# one alert per urgent request (the 7 and the CHI-2026-0011 thread) to each of the two
ALERTS=$(( (N_URGENT + 1) * 2 ))
wait_for 60 ge "kinds notice" $ALERTS || mt_fail "all alerts sent (got $(kinds notice) of $ALERTS)"
mt_eq "requests stored" $N_REQ "$(mt_sql "SELECT count(*) FROM requests")"
mt_eq "urgent requests" $((N_URGENT + 1)) "$(mt_sql "SELECT count(*) FROM requests WHERE urgent = 1")"
FIRST=$(mt_sql "SELECT ref FROM requests r JOIN messages m ON m.request_id = r.id WHERE m.message_id = 'ar-violence@mail.example.test'")
THREAD=$(mt_sql "SELECT ref FROM requests ORDER BY id LIMIT 1")
mt_eq "CHI-2026-0011 case: the thread became urgent" 1 "$(mt_sql "SELECT urgent FROM requests WHERE ref = '$THREAD'")"

# The delegate saw the first alert: "#vu REF" by mail, authenticated.
printf 'From: delegate@example.test\nTo: contact@example.test\nSubject: vu\nMessage-ID: <vu-1@example.test>\nDate: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n#vu %s\n' \
	"$(date -R)" "$FIRST" > "$MT_DIR/vu.eml"
"$T/sendmail.py" --starttls --ca "$MAILSTACK_CA" --user delegate \
	--password-file "$MAILSTACK_PWDIR/delegate" --to contact@example.test "$MT_DIR/vu.eml" > /dev/null
wait_for 30 ge "mt_sql \"SELECT count(*) FROM events e JOIN requests r ON r.id = e.request_id WHERE e.kind = 'seen' AND r.ref = '$FIRST'\"" 1 ||
	mt_fail "#vu recorded"
mt_eq "no reminder before the delay" 0 "$(mt_sql "SELECT count(*) FROM events WHERE kind = 'urgent-reminder'")"

# After the delay: one reminder for each of the others, to both recipients.
REMIND=$((N_URGENT))	# N_URGENT + thread - the one seen
wait_for $((DELAY + 40)) ge "mt_sql \"SELECT count(*) FROM events WHERE kind = 'urgent-reminder'\"" $REMIND ||
	mt_fail "reminders queued after the delay"
wait_for 30 ge "kinds notice" $((ALERTS + REMIND * 2)) || mt_fail "reminders sent"
# kill -9, restart, wait past another delay: nothing more
kill -KILL $PID; wait $PID 2>/dev/null
start
sleep $((DELAY + 8))
kill -TERM $PID; wait $PID 2>/dev/null
mt_eq "one reminder per unseen urgent request, none twice across kill -9" $REMIND \
	"$(mt_sql "SELECT count(*) FROM events WHERE kind = 'urgent-reminder'")"
mt_eq "no reminder for the request seen with #vu" 0 \
	"$(mt_sql "SELECT count(*) FROM events e JOIN requests r ON r.id = e.request_id WHERE e.kind = 'urgent-reminder' AND r.ref = '$FIRST'")"
mt_eq "alerts and reminders all sent, nothing queued" 0 "$(mt_sql "SELECT count(*) FROM outbox WHERE status <> 'sent'")"

# What arrived: the senders' mailboxes, the delegate's, the social service's.
for u in fatima olena dawit sara luca bob ana alice delegate; do
	"$T/mailbox.py" $u dump "$MT_DIR/got/$u" > /dev/null 2>&1 || true
done
mkdir -p "$MT_DIR/got/social"
grep -l -i -x "Envelope-to: $SOCIAL" "$MAILSTACK_CAPTURED"/new/* 2>/dev/null | xargs -r cp -t "$MT_DIR/got/social"

python3 - "$MT_DIR" "$MT_DB" "$MT_ROOT" "$FIRST" "$THREAD" > "$MT_DIR/checks" <<'PY'
import email, glob, os, re, sqlite3, sys
from email import policy
d, dbp, root, first, thread = sys.argv[1:6]
db = sqlite3.connect(dbp)
def ok(c, what): print(("PASS" if c else "FAIL") + "|" + what)
def load(box):
    out = []
    for f in sorted(glob.glob(os.path.join(d, "got", box, "*"))):
        m = email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
        body = m.get_body(preferencelist=("plain",))
        out.append((m, body.get_content() if body else ""))
    return out
def routine_promise(lang):
    # the longest literal part of the acknowledgment's sentence promising an answer in days
    for l in open(os.path.join(root, "templates", "ack.%s.txt" % lang), encoding="utf-8"):
        if "answer_days" in l:
            return max(re.split(r"\{\{.*?\}\}", l.strip()), key=len).strip()
    raise SystemExit("ack.%s.txt: no sentence with answer_days" % lang)
# box, Message-ID, language, first-line marker of the urgent text, numbers or names required
cases = [
    ("fatima", "ar-violence", "ar", "قرأنا رسالتك", ["117", "144", "112", "LAVI"]),
    ("olena", "uk-distress", "uk", "Ми прочитали ваше повідомлення", ["143"]),
    ("dawit", "ti-eviction", "ti", "መልእኽትኹም ኣንቢብናዮ", ["117", "112"]),
    ("sara", "de-child", "de", "Wir haben Ihre Nachricht gelesen", ["117", "147", "LAVI"]),
    ("luca", "it-medical", "it", "Abbiamo letto il suo messaggio", ["144", "112"]),
    ("bob", "en-shelter", "en", "We have read your message", ["117", "112"]),
    ("ana", "pt-distress", "pt", "Lemos a sua mensagem", ["143", "147"]),
]
alerts = {box: [x for x in load(box) if "URGENT" in str(x[0]["Subject"])] for box in ("delegate", "social")}
for box, mid, lang, marker, need in cases:
    got = load(box)
    ok(len(got) == 1, "%s: exactly one reply (got %d)" % (box, len(got)))
    if not got:
        continue
    m, body = got[0]
    ref = db.execute("SELECT r.ref FROM requests r JOIN messages m ON m.request_id = r.id"
                     " WHERE m.message_id = ?", (mid + "@mail.example.test",)).fetchone()[0]
    ok(body.find(marker) >= 0 and body.find(marker) < body.find("Version française") and
       "Nous avons lu votre message. Il est urgent." in body,
       "%s: urgent acknowledgment in %s first, French below" % (box, lang))
    ok(all(n in body.split("Version française")[0] for n in need),
       "%s: the %s part gives %s" % (box, lang, ", ".join(need)))
    ok(routine_promise(lang) not in body and routine_promise("fr") not in body and
       "jours ouvrables" not in body, "%s: no 'within 3 working days' promise" % box)
    ok("À COMPLÉTER" not in body, "%s: no placeholder of the directory" % box)
    text = db.execute("SELECT text FROM messages WHERE message_id = ?", (mid + "@mail.example.test",)).fetchone()[0]
    for rbox in ("delegate", "social"):
        mine = [x for x in alerts[rbox] if ref in str(x[0]["Subject"]) and "RAPPEL" not in str(x[0]["Subject"])]
        ok(len(mine) == 1, "%s: exactly one alert to %s (got %d)" % (ref, rbox, len(mine)))
        if mine:
            am, ab = mine[0]
            ok(text.strip() in ab, "%s: the alert to %s has the full text" % (ref, rbox))
            ok(str(am["Reply-To"]).strip() == "%s@example.test" % box, "%s: Reply-To is the sender" % ref)
            ok("urgent-" in ab and "#vu %s" % ref in ab and "guichet " not in ab,
               "%s: rules, #vu, no terminal command" % ref)
    n_rem = len([x for r in ("delegate", "social") for x in alerts[r]
                 if ref in str(x[0]["Subject"]) and "RAPPEL" in str(x[0]["Subject"])])
    ok(n_rem == (0 if ref == first else 2), "%s: reminders: %d (one per recipient unless seen)" % (ref, n_rem))
# CHI-2026-0011: the follow-up "expulsion ce soir" alerted, with its own text
for rbox in ("delegate", "social"):
    mine = [x for x in alerts[rbox] if thread in str(x[0]["Subject"]) and "RAPPEL" not in str(x[0]["Subject"])]
    ok(len(mine) == 1 and "expulsion ce soir" in mine[0][1] and "ALICE-TEXT-END" in mine[0][1],
       "CHI-2026-0011 case (%s): one alert to %s with the follow-up's text" % (thread, rbox))
alice = load("alice")
ok(len(alice) == 1, "CHI-2026-0011 case: the follow-up gets no second automatic reply (got %d)" % len(alice))
PY
PY_RC=$?
# A new urgent message in a thread whose alert was handled (#vu, closed)
# alerts again; while an alert still waits, its reminder covers it.
DB2="$MT_DIR/again.db"
g --db "$DB2" ingest "$FIX/chi-0011/1-logement.eml" "$FIX/chi-0011/2-expulsion.eml" > /dev/null 2>&1
R2=$(sqlite3 "$DB2" "SELECT ref FROM requests")
alerts2() { sqlite3 "$DB2" "SELECT count(*) FROM events WHERE kind = 'urgent-alert'"; }
mt_eq "thread alerted once" 1 "$(alerts2)"
sed -e 's/chi0011-2@/chi0011-3@/' -e 's/ALICE-TEXT-END/ALICE-AGAIN/' "$FIX/chi-0011/2-expulsion.eml" > "$MT_DIR/again3.eml"
g --db "$DB2" ingest "$MT_DIR/again3.eml" > /dev/null 2>&1
mt_eq "a second urgent message while the alert waits: no second alert" 1 "$(alerts2)"
g --db "$DB2" seen "$R2" > /dev/null 2>&1
sed -e 's/chi0011-2@/chi0011-4@/' -e 's/ALICE-TEXT-END/ALICE-AGAIN-4/' "$FIX/chi-0011/2-expulsion.eml" > "$MT_DIR/again4.eml"
g --db "$DB2" ingest "$MT_DIR/again4.eml" > /dev/null 2>&1
mt_eq "after #vu, a new urgent message alerts again" 2 "$(alerts2)"
mt_eq "each alert to both recipients" 4 "$(sqlite3 "$DB2" "SELECT count(*) FROM outbox WHERE kind = 'notice'")"

while IFS='|' read -r v what; do
	[ "$v" = PASS ] && mt_ok "$what" || mt_fail "$what"
done < "$MT_DIR/checks"
mt_eq "the checks ran to the end" 0 $PY_RC
[ -s "$MT_DIR/checks" ] || mt_fail "the checks ran"
mt_done
