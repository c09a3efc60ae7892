#!/bin/bash
# replies_e2e: requests from tests/fixtures/replies ingested, `guichet send`
# run against the project's mail stack, and the acknowledgments read back
# over IMAP from the senders' mailboxes: headers (From, To = Reply-To or
# From, Subject "Re: ... [REF]", In-Reply-To, References, Auto-Submitted,
# X-Auto-Response-Suppress, Message-ID, Date), UTF-8 quoted-printable, the
# sender's language first and French below, envelope sender <>; an encoded
# CR/LF in a subject injects no header; the per-sender cap holds; a robot
# gets nothing; nothing is sent twice.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start replies_e2e
FIX="$MT_ROOT/tests/fixtures/replies"
T="$MT_ROOT/tests"

g ingest "$FIX"/*.eml > "$MT_DIR/ingest.out" 2>&1
mt_eq "ingest exits 0" 0 $?
mt_eq "9 requests stored (the robot is not one)" 9 "$(mt_sql "SELECT count(*) FROM requests")"
g send > "$MT_DIR/out" 2> "$MT_DIR/err"
mt_eq "send exits 0" 0 $?
mt_check "7 acknowledgments sent" grep -q "sent 7, failed 0, still queued 0" "$MT_DIR/out"

for u in alice ana sara bob; do
	"$T/mailbox.py" $u dump --wait 1 "$MT_DIR/got/$u" || mt_fail "$u: no acknowledgment arrived"
done
"$T/mailbox.py" carlos dump --wait 3 "$MT_DIR/got/carlos" || mt_fail "carlos: fewer than 3 acknowledgments"
sleep 1	# anything extra would have arrived by now

python3 - "$MT_DIR" "$MT_DB" > "$MT_DIR/checks" <<'PY'
import email, glob, os, re, sqlite3, sys
from email import policy
from email.utils import getaddresses
d, dbp = sys.argv[1], sys.argv[2]
db = sqlite3.connect(dbp)
n = 0
def ok(cond, what):
    global n
    n += 1
    print(("PASS" if cond else "FAIL") + "|%s" % what)
def ref_of(mid):
    row = db.execute("SELECT r.ref FROM messages m JOIN requests r ON r.id = m.request_id"
                     " WHERE m.message_id = ?", (mid,)).fetchone()
    return row[0] if row else None
def addrs(v):
    return [a.lower() for _, a in getaddresses([v or ""])]
def text_of(msg):
    parts = []
    for p in msg.walk():
        if p.get_content_type() == "text/plain":
            parts.append(p)
    return parts

cases = [  # mailbox, request Message-ID, original subject, recipient, language
    ("alice", "req-fr-1@mail.example.test",
     "Demande de renseignements pour un cours de français", "alice@example.test", "fr"),
    ("ana", "req-pt-1@mail.example.test",
     "Pedido de ajuda com a autorização de residência", "ana@example.test", "pt"),
    ("sara", "req-de-1@mail.example.test",
     "Frage zur Anmeldung meiner Kinder in der Schule", "sara@example.test", "de"),
    ("bob", "req-crlf-1@mail.example.test", None, "bob@example.test", "fr"),
]
for box, mid, subj, rcpt, lang in cases:
    files = sorted(glob.glob(os.path.join(d, "got", box, "*.eml")))
    ok(len(files) == 1, "%s: exactly one acknowledgment (got %d)" % (box, len(files)))
    if not files:
        continue
    raw = open(files[0], "rb").read()
    m = email.message_from_bytes(raw, policy=policy.default)
    ref = ref_of(mid)
    ok(ref is not None and re.match(r"^CHI-\d{4}-\d{4}$", ref), "%s: request has a reference (%s)" % (box, ref))
    ok(addrs(m["From"]) == ["contact@example.test"], "%s: From is the contact address" % box)
    ok(addrs(m["To"]) == [rcpt], "%s: To is %s (got %s)" % (box, rcpt, m["To"]))
    s = str(m["Subject"])
    if subj is not None:
        ok(s == "Re: %s [%s]" % (subj, ref), "%s: Subject 'Re: <original> [REF]' (got %r)" % (box, s))
    else:
        ok(s.startswith("Re: ") and s.endswith("[%s]" % ref), "%s: Subject 'Re: ... [REF]' (got %r)" % (box, s))
    ok(m["In-Reply-To"] is not None and str(m["In-Reply-To"]).strip() == "<%s>" % mid, "%s: In-Reply-To" % box)
    ok("<%s>" % mid in str(m["References"] or ""), "%s: References names the request" % box)
    ok(str(m["Auto-Submitted"] or "").strip() == "auto-replied", "%s: Auto-Submitted: auto-replied" % box)
    ok(str(m["X-Auto-Response-Suppress"] or "").strip().lower() == "all", "%s: X-Auto-Response-Suppress: All" % box)
    ok(re.match(r"^<[^<>@\s]+@[^<>@\s]+>$", str(m["Message-ID"] or "").strip()) is not None, "%s: own Message-ID" % box)
    ok(m["Date"] is not None, "%s: Date" % box)
    ok(str(m["Return-Path"] or "").strip() == "<>", "%s: envelope sender <> (Return-Path: <>)" % box)
    parts = text_of(m)
    ok(len(parts) >= 1, "%s: a text/plain part" % box)
    ok(all(p.get_content_charset() == "utf-8" and
           p.get("Content-Transfer-Encoding", "").lower() == "quoted-printable" for p in parts),
       "%s: text parts are UTF-8 quoted-printable" % box)
    ok(all(len(l) <= 78 for l in raw.split(b"\n")), "%s: no line over 78 octets" % box)
    body = parts[0].get_content() if parts else ""
    ok(ref is not None and ref in body, "%s: body gives the reference" % box)
    first = next((l for l in body.splitlines() if l.strip()), "")
    if lang == "fr":
        ok(first.startswith("Bonjour"), "%s: French acknowledgment (%r)" % (box, first))
    else:
        fr = body.find("Bonjour")
        ok(not first.startswith("Bonjour") and fr > 0,
           "%s: %s first, French below (first line %r)" % (box, lang, first))
    if box == "bob":
        names = [k.lower() for k in m.keys()]
        ok("bcc" not in names and "x-injected" not in names, "bob: encoded CR/LF injected no header")
        head = raw.split(b"\n\n", 1)[0]
        ok(not re.search(rb"(?im)^(bcc|x-injected):", head), "bob: no injected header line in the raw header")
        ok("\r" not in s and "\n" not in s, "bob: Subject has no CR/LF")

# per-sender cap: 5 requests from carlos, 3 acknowledgments
files = sorted(glob.glob(os.path.join(d, "got", "carlos", "*.eml")))
ok(len(files) == 3, "cap: carlos got 3 acknowledgments for 5 requests (got %d)" % len(files))
rows = db.execute("SELECT r.reply, r.reply_reason FROM requests r JOIN messages m ON m.request_id = r.id"
                  " WHERE m.message_id LIKE 'req-cap-%' ORDER BY m.message_id").fetchall()
ok(len(rows) == 5 and [r[0] for r in rows].count("none") == 2, "cap: 2 requests recorded with reply none")
ok(all("cap" in (r[1] or "") for r in rows if r[0] == "none"), "cap: the reason names the cap")
# robot
row = db.execute("SELECT m.reply, m.kind, m.request_id FROM messages m"
                 " WHERE m.message_id = 'req-robot-1@mail.example.test'").fetchone()
ok(row is not None and row[0] == "none" and row[1] == "robot" and row[2] is None,
   "robot: stored as kind robot, no request, reply none")
# nothing went to the injected address
cap = glob.glob(os.path.join(os.environ["MAILSTACK_CAPTURED"], "new", "*"))
ok(not any(b"attacker.test" in open(f, "rb").read() for f in cap), "nothing sent to the injected Bcc")
PY
[ $? = 0 ] || mt_fail "message checks ran to the end"
while IFS='|' read -r verdict what; do
	if [ "$verdict" = PASS ]; then mt_ok "$what"; else mt_fail "$what"; fi
done < "$MT_DIR/checks"

mt_eq "robot got nothing" 0 "$("$T/mailbox.py" mehmet count)"
mt_eq "fatima (From, not Reply-To) got nothing" 0 "$("$T/mailbox.py" fatima count)"

# nothing twice: send again, ingest the same files again
g send > "$MT_DIR/out" 2>&1
mt_check "second send sends nothing" grep -q "sent 0, failed 0, still queued 0" "$MT_DIR/out"
g ingest "$FIX"/*.eml > "$MT_DIR/ingest2.out" 2>&1
mt_eq "same files again: no new request" 9 "$(mt_sql "SELECT count(*) FROM requests")"
mt_eq "same files again: no new outbox row" 7 "$(mt_sql "SELECT count(*) FROM outbox")"
g send > "$MT_DIR/out" 2>&1
sleep 0.5
mt_eq "alice still has one message" 1 "$("$T/mailbox.py" alice count)"
mt_eq "carlos still has three" 3 "$("$T/mailbox.py" carlos count)"

# a follow-up naming the reference joins the request, gets no new reply;
# our own acknowledgment coming back (a loop) gets none either
ref=$(mt_sql "SELECT r.ref FROM requests r JOIN messages m ON m.request_id = r.id WHERE m.message_id = 'req-fr-1@mail.example.test'")
ackid=$(sed -n 's/^Message-I[dD]: *//p' "$MT_DIR"/got/alice/001.eml | tr -d '\r')
cat > "$MT_DIR/followup.eml" <<MAIL
From: Alice Martin <alice@example.test>
To: contact@example.test
Subject: Re: Demande de renseignements [$ref]
Date: Fri, 27 Nov 2026 11:00:00 +0100
Message-ID: <req-fr-2@mail.example.test>
In-Reply-To: $ackid
References: <req-fr-1@mail.example.test> $ackid
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Merci pour votre réponse. J'ai encore une question sur les horaires du cours.
MAIL
g ingest "$MT_DIR/followup.eml" "$MT_DIR/got/alice/001.eml" > "$MT_DIR/ingest3.out" 2>&1
mt_eq "follow-up and looped ack: no new request" 9 "$(mt_sql "SELECT count(*) FROM requests")"
mt_eq "follow-up and looped ack: no new outbox row" 7 "$(mt_sql "SELECT count(*) FROM outbox")"
mt_eq "follow-up joined its request" "$ref" \
	"$(mt_sql "SELECT r.ref FROM messages m JOIN requests r ON r.id = m.request_id WHERE m.message_id = 'req-fr-2@mail.example.test'")"
g send > "$MT_DIR/out" 2>&1
sleep 0.5
mt_eq "alice got nothing more" 1 "$("$T/mailbox.py" alice count)"

mt_done
