#!/usr/bin/env python3
"""view_test.py GUICHET DIR: the delegate's view checked on a known store.

The store is created by the binary (ingest of two generated mails), then
filled with a generated set of requests whose figures are computed here
independently: 2025 (the year under test), 2024 (for the comparison) and
a recent period for the digest.  Every figure the commands print is
compared exactly.  Prints TAP lines; exits 1 when any check failed.
"""
import calendar, csv, datetime, email, email.policy, html.parser, io, json, math
import os, re, shutil, sqlite3, subprocess, sys, time
from zoneinfo import ZoneInfo

GUICHET, DIR = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONF = os.path.join(ROOT, "tests", "fixtures", "view", "view.conf")
DB = os.path.join(DIR, "view.db")
TZ = ZoneInfo("Europe/Zurich")
N, FAILS = 0, 0


def ok(cond, what, extra=""):
    global N, FAILS
    N += 1
    if not cond:
        FAILS += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", N, what))
    if not cond and extra:
        print("#   " + str(extra)[:2000].replace("\n", "\n#   "))
    return cond


def eq(got, want, what):
    return ok(got == want, what, "got %r, want %r" % (got, want))


def g(*args, rc=0, stdin=None):
    p = subprocess.run([GUICHET, "--config", CONF, "--db", DB] + list(args),
                       capture_output=True, input=stdin)
    out = p.stdout.decode("utf-8", "replace")
    if rc is not None:
        ok(p.returncode == rc, "guichet %s exits %d" % (" ".join(args)[:60], rc),
           "exit %d, stderr: %s" % (p.returncode, p.stderr.decode("utf-8", "replace")))
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def local(y, m, d, hh=10, mm=0):
    return int(datetime.datetime(y, m, d, hh, mm, tzinfo=TZ).timestamp())


def median(v):
    v = sorted(v)
    if not v:
        return None
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) // 2


def p90(v):
    v = sorted(v)
    return v[max(1, math.ceil(0.9 * len(v) - 1e-9)) - 1] if v else None


DOMAINS = ["information", "langue", "formation_emploi", "petite_enfance", "discrimination",
           "vivre_ensemble", "interpretariat", "autre"]
REQS = ["migrant", "association", "commune", "institution", "inconnu"]
LANGS = ["fr", "ti", "ar", "uk", "pt", "de"]
COMMUNES = ["Chippis", "Sierre", "Grône", "Chalais", None]
TOPIC = {"information": "permis_sejour", "langue": "cours_langue", "petite_enfance": "creche"}

# ---- the data set --------------------------------------------------------
requests = []     # dicts with every column we insert


def add(ref, created, i, status=None, answered=None, urgent=None, domain=None, **kw):
    dom = domain or DOMAINS[i % 8]
    st = status or ["answered", "answered", "closed"][i % 3]   # old ones are dealt with
    if answered is None and st != "open":
        answered = created + ((i % 10) + 1) * 3600 if st == "answered" else \
            created + ((i % 7) + 1) * 43200
    r = dict(ref=ref, created=created, status=st, answered=answered,
             closed=answered + 3600 if st == "closed" else None,
             requester=REQS[i % 5], domain=dom, topic=TOPIC.get(dom) if i % 2 else None,
             commune=COMMUNES[i % 5], language=LANGS[i % 6],
             urgent=urgent if urgent is not None else int(i % 17 == 0),
             reply=["ack", "orientation", "none"][i % 3], sender_key="k%d" % (i % 50),
             sender_addr="personne%d@example.org" % i, sender_name="Personne Numéro%d" % i,
             subject="Sujet confidentiel %d" % i)
    r.update(kw)
    requests.append(r)
    return r


for i in range(240):                                  # 2025: the year under test
    add("CHI-2025-%04d" % (i + 1), local(2025, i % 12 + 1, i % 28 + 1, 9 + i % 8), i)
for i in range(60):                                   # 2024: last year
    add("CHI-2024-%04d" % (i + 1), local(2024, i % 12 + 1, i % 28 + 1, 11), i + 1)
TIMELOG = [("2025-01-%02d" % (d + 1), m, k) for d, (m, k) in enumerate(
    [(45, "entretien"), (60, "entretien"), (30, "telephone"), (120, "seance"), (90, "projet"),
     (45, "entretien"), (15, "courriel"), (240, "permanence"), (60, "formation"), (30, "entretien")])]
TIMELOG += [("2024-06-01", 50, "entretien"), ("2024-06-02", 70, "seance")]

now = int(time.time())
# The digest's period: the last 24 hours (no digest was sent before).
fresh = [add("CHI-2026-%04d" % (9001 + k), now - (k + 1) * 3000, k + 3, status="open",
             answered=None, urgent=int(k in (1, 3)), subject="Nouvelle demande %d" % k,
             domain=["langue", "information", "autre", "langue", "information"][k])
         for k in range(5)]
waiting = [add("CHI-2026-%04d" % (9101 + k), now - d * 86400, k, status="open", answered=None,
               urgent=0, subject="Ancienne demande %d" % k) for k, d in enumerate((3, 9, 5))]
followed = add("CHI-2026-9201", now - 20 * 86400, 7, status="open", answered=None, urgent=0,
               subject="Question sur le permis")

# ---- the store: created by the binary, then filled -------------------------
MAILS = []
for k in range(2):
    path = os.path.join(DIR, "in%d.eml" % k)
    with open(path, "w", encoding="utf-8") as f:
        f.write("From: Ingéré %d <ingere%d@example.net>\nTo: contact@example.test\n"
                "Subject: Message ingéré %d\nDate: %s\nMessage-ID: <ing%d.%d@example.net>\n"
                "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                "Content-Transfer-Encoding: 8bit\n\nBonjour,\nligne %d du texte ingéré.\n"
                % (k, k, k, email.utils.formatdate(now - 60, localtime=True), k, now, k))
    MAILS.append(path)
rc, out, err = g("ingest", "--json", *MAILS)
ingested = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
eq(len(ingested), 2, "two mails ingested into a new store")
ingested_refs = [j.get("ref") for j in ingested]

db = sqlite3.connect(DB)
cols = ["ref", "created", "status", "answered", "closed", "requester", "domain", "topic",
        "commune", "language", "urgent", "reply", "sender_key", "sender_addr", "sender_name",
        "subject"]
for r in requests:
    db.execute("INSERT INTO requests(%s, updated) VALUES(%s, ?)" % (
        ", ".join(cols), ", ".join("?" * len(cols))), [r[c] for c in cols] + [r["created"]])
ids = {ref: i for ref, i in db.execute("SELECT ref, id FROM requests")}
for r in fresh + waiting:
    db.execute("INSERT INTO messages(request_id, direction, dedup_key, received, from_addr, "
               "subject, text) VALUES(?, 'in', ?, ?, ?, ?, ?)",
               (ids[r["ref"]], "d" + r["ref"], r["created"], r["sender_addr"], r["subject"],
                "Bonjour,\n\n%s : premier paragraphe.\nDeuxième ligne.\nTroisième.\nQuatrième.\n"
                % r["subject"]))
for r in fresh:
    db.execute("INSERT INTO outbox(request_id, kind, message_id, rcpt, status, created) "
               "VALUES(?, 'ack', ?, ?, 'sent', ?)", (ids[r["ref"]], "ack" + r["ref"],
                                                     r["sender_addr"], r["created"]))
fid = ids[followed["ref"]]
db.execute("INSERT INTO messages(request_id, direction, dedup_key, received, subject, text) "
           "VALUES(?, 'in', 'f0', ?, 'Question', 'Première question.')", (fid, now - 20 * 86400))
db.execute("INSERT INTO messages(request_id, direction, dedup_key, received, subject, text) "
           "VALUES(?, 'in', 'f1', ?, 'Re: Question', 'Avez-vous reçu ma relance ?')",
           (fid, now - 7200))
w0 = ids[waiting[0]["ref"]]
db.execute("INSERT INTO outbox(request_id, kind, message_id, rcpt, status, last_answer, created) "
           "VALUES(?, 'ack', 'failed1', 'nobody@invalid.test', 'failed', "
           "'550 5.1.1 no such user', ?)", (w0, now - 4 * 86400))
db.execute("INSERT INTO events(request_id, time, kind, detail) VALUES(?, ?, 'failed', 'ack: 550')",
           (w0, now - 3 * 3600))
db.execute("INSERT INTO messages(direction, status, reason, dedup_key, received, from_addr, "
           "subject) VALUES('in', 'quarantined', 'too large', 'q1', ?, 'spam@example.com', "
           "'Facture urgente')", (now - 4 * 3600,))
db.executemany("INSERT INTO time_log(date, minutes, kind, created) VALUES(?, ?, ?, 0)", TIMELOG)
db.commit()
TOTAL = db.execute("SELECT count(*) FROM requests").fetchone()[0]
eq(TOTAL, len(requests) + 2, "store holds the generated and the ingested requests")

y25 = [r for r in requests if r["ref"].startswith("CHI-2025")]
y24 = [r for r in requests if r["ref"].startswith("CHI-2024")]


def count(rows, key):
    out = {}
    for r in rows:
        out[r[key] or ""] = out.get(r[key] or "", 0) + 1
    return out


# ---- stats ---------------------------------------------------------------
rc, out, err = g("stats", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "domain,requester",
                 "--format", "json")
js = json.loads(out)
eq(js["totals"]["requests"], 240, "stats json: totals = the 2025 requests")
eq(sum(r["requests"] for r in js["rows"]), 240, "stats json: rows add up to the totals")
want = {}
for r in y25:
    want[(r["domain"], r["requester"])] = want.get((r["domain"], r["requester"]), 0) + 1
eq({(r["domain"], r["requester"]): r["requests"] for r in js["rows"]}, want,
   "stats json: domain x requester counts")
eq(js["breakdowns"]["language"], count(y25, "language"), "stats json: languages")
eq(js["breakdowns"]["commune"], count(y25, "commune"), "stats json: communes (empty as \"\")")
delays = [r["answered"] - r["created"] for r in y25 if r["answered"]]
eq(js["totals"]["answered"], len(delays), "stats json: answered")
eq(js["totals"]["response_median_s"], median(delays), "stats json: median response time")
eq(js["totals"]["response_p90_s"], p90(delays), "stats json: 90th percentile")
lang_rows = {(r["domain"], r["requester"]): r for r in js["rows"]}
d1 = [r["answered"] - r["created"] for r in y25
      if r["answered"] and r["domain"] == "langue" and r["requester"] == "migrant"]
eq(lang_rows[("langue", "migrant")]["response_median_s"], median(d1),
   "stats json: median of one row")
eq(js["totals"]["urgent_requests"], sum(r["urgent"] for r in y25), "stats json: urgent")
tl = {t["kind"]: (t["entries"], t["minutes"]) for t in js["time_log"]}
eq(tl["entretien"], (4, 180), "stats json: interviews and their minutes")
eq(js["interviews"], {"count": 4, "minutes": 180}, "stats json: interviews object")
eq(js["time_total"]["minutes"], sum(m for d, m, k in TIMELOG if d.startswith("2025")),
   "stats json: minutes in all")

rc, out, err = g("stats", "--format", "json")
js = json.loads(out)
eq(js["totals"]["requests"], TOTAL, "stats json without dates: every stored request")
stored = dict(db.execute("SELECT domain, count(*) FROM requests GROUP BY domain").fetchall())
eq(js["breakdowns"]["domain"], stored, "stats json: domains as stored")

rc, out, err = g("stats", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "month",
                 "--format", "json")
months = {}
for r in y25:
    m = datetime.datetime.fromtimestamp(r["created"], TZ).strftime("%Y-%m")
    months[m] = months.get(m, 0) + 1
eq({r["month"]: r["requests"] for r in json.loads(out)["rows"]}, months, "stats by month")

rc, out, err = g("stats", "--from", "2025-03-01", "--to", "2025-03-31", "--by", "week",
                 "--format", "json")
weeks = {}
for r in y25:
    t = datetime.datetime.fromtimestamp(r["created"], TZ)
    if t.year == 2025 and t.month == 3:
        iy, iw, _ = t.isocalendar()
        weeks["%04d-W%02d" % (iy, iw)] = weeks.get("%04d-W%02d" % (iy, iw), 0) + 1
eq({r["week"]: r["requests"] for r in json.loads(out)["rows"]}, weeks, "stats by ISO week")

p = subprocess.run([GUICHET, "--config", CONF, "--db", DB, "stats", "--from", "2025-01-01",
                    "--to", "2025-12-31", "--by", "domain", "--format", "csv"], capture_output=True)
raw = p.stdout
ok(raw.startswith(b"\xef\xbb\xbf"), "stats csv starts with a UTF-8 BOM")
ok(b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "stats csv lines end in CRLF")
rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
eq(rows[0][:4], ["domaine", "code domaine", "demandes", "pourcentage"],
   "stats csv header in French, codes beside the labels")
first = rows[:rows.index([])] if [] in rows else rows
body = {r[1]: int(r[2]) for r in first[1:] if r and r[0] != "Total" and r[1] in DOMAINS}
eq(body, count(y25, "domain"), "stats csv: counts by domain")
eq([r for r in rows if r and r[0] == "Total"][0][2], "240", "stats csv: totals row")
ok("délai médian (h)" in rows[0], "stats csv keeps accents", rows[0])

rc, out, err = g("stats", "--from", "2025-01-01", "--to", "2025-12-31", "--by", "commune,language")
lines = [l for l in out.splitlines() if "─" in l or l.startswith(("commune", "Total", "Chippis"))]
tbl = out[out.index("commune"):].split("\n\n")[0].splitlines()
ok(len(set(len(l.rstrip()) for l in tbl if "─" not in l and l.strip()) | {0}) >= 1 and
   all(l.index("demandes") == tbl[0].index("demandes") for l in tbl[:1]),
   "stats table has a header")
widths = set()
for l in tbl:
    if "─" in l or not l.strip():
        continue
    # right-aligned counts end in the same display column on every row
    m = re.search(r"\s(\d+)\s+\d+,\d\s", l)
    if m:
        widths.add(len(l[:m.end(1)]))
eq(len(widths), 1, "stats table: counts aligned under accents (Grône)")
ok(any(l.startswith("Total") and " 240 " in l for l in tbl), "stats table: totals row")
rc, out, err = g("stats", "--by", "nope", rc=2)

# ---- export ------------------------------------------------------------------
rc, out, err = g("export", "--year", "2025", "--format", "json")
ex = json.loads(out)
eq(ex["requests_total"], 240, "export: requests in the year")
drm = {}
for r in y25:
    k = (r["domain"], r["requester"],
         datetime.datetime.fromtimestamp(r["created"], TZ).strftime("%Y-%m"))
    drm[k] = drm.get(k, 0) + 1
eq({(x["domain"], x["requester"], x["month"]): x["count"] for x in ex["requests"]}, drm,
   "export: domain x requester x month")
nc = [r for r in y25 if r["domain"] == "information" and r["requester"] == "migrant"]
eq(ex["newcomers_first_information"], {"requests": len(nc),
   "persons": len(set(r["sender_key"] for r in nc))}, "export: first information to newcomers")
eq(ex["counselling_interviews"], {"count": 4, "minutes": 180}, "export: counselling interviews")
eq(ex["minutes_by_kind"]["seance"], 120, "export: minutes by kind")
eq(ex["languages"], count(y25, "language"), "export: languages served")
rc, csvout, err = g("export", "--year", "2025")
for text, fmt in ((out, "json"), (csvout, "csv")):
    leaks = [w for r in requests for w in (r["sender_addr"], r["sender_name"], r["subject"],
                                            r["sender_key"]) if w in text]
    leaks += [w for w in ("example.org", "example.net", "Ingéré", "Sujet") if w in text]
    eq(leaks[:3], [], "export %s holds no address, name, subject or sender key" % fmt)
ok(csvout.startswith("\ufeffindicateur,libellé de l'indicateur,domaine,libellé du domaine"), "export csv: BOM and header, labels beside codes")

# ---- report --------------------------------------------------------------
comment = os.path.join(DIR, "comment.txt")
with open(comment, "w", encoding="utf-8") as f:
    f.write("Une année <chargée> & riche.\n\nLes cours de langue restent très demandés.\n")
html_path = os.path.join(DIR, "rapport.html")
t0 = time.time()
g("report", "--year", "2025", "-o", html_path, "--comment", comment)
page = open(html_path, encoding="utf-8").read()
ok("Rapport d'activité 2025" in page, "report: title")
ok("Une année &lt;chargée&gt; &amp; riche." in page, "report: commentary escaped")
ok(page.count("<svg") >= 6, "report: inline SVG charts", page.count("<svg"))
ok("Comparaison avec 2024" in page, "report: comparison with last year")
ok("Primo-information et conseil" in page, "report: domain labels from the taxonomy")
ok(">240<" in page.replace("\u202f", ""), "report: the year's total")
leaks = [w for r in requests for w in (r["sender_addr"], r["subject"]) if w in page]
eq(leaks[:3], [], "report holds no address or subject")
x = subprocess.run(["xmllint", "--noout", html_path], capture_output=True) \
    if shutil.which("xmllint") else None
if x is not None:
    ok(x.returncode == 0, "report: well-formed (xmllint)", x.stderr.decode())


class Strict(html.parser.HTMLParser):
    VOID = {"meta", "br", "line", "rect", "path", "circle", "img", "hr", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, a):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, a):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


s = Strict()
s.feed(page)
s.close()
ok(not s.errors and not s.stack, "report: tags balanced (html.parser)", (s.errors, s.stack))
g("report", "--year", "2025", rc=2)
rc, out, err = g("report", "--year", "1999", "-o", html_path, rc=2)

# ---- list, show, close, note, label, log ------------------------------------------
rc, out, err = g("list", "--status", "open", "--domain", "langue")
want = [r["ref"] for r in requests if r["status"] == "open" and r["domain"] == "langue"]
got = re.findall(r"^(CHI-\d{4}-\d{4})", out, re.M)
eq(sorted(got), sorted(want), "list --status open --domain langue")
rc, out, err = g("list", "--status", "bogus", rc=2)
rc, out, err = g("list", "--domain", "bogus", rc=1)
ref = fresh[0]["ref"]
rc, out, err = g("show", ref)
ok(ref in out and "Nouvelle demande 0" in out and "premier paragraphe" in out and
   "accusé de réception" in out and re.search(r"\back\b", out) is None,
   "show: request, its message and outbox, in French", out)
g("close", ref)
eq(db.execute("SELECT status FROM requests WHERE ref=?", (ref,)).fetchone()[0], "closed",
   "close: status closed")
rc, out, err = g("close", ref)
ok("déjà" in out, "close twice: says it is already closed")
g("note", ref, "Rappelé", "le", "lundi")
eq(db.execute("SELECT detail FROM events e JOIN requests r ON r.id=e.request_id WHERE "
              "r.ref=? AND e.kind='note'", (ref,)).fetchall(), [("Rappelé le lundi",)], "note: event")
r0 = y25[5]
before = (r0["domain"], r0["topic"])
g("label", r0["ref"], "domain=langue", "topic=cours_langue", "commune=sierre", "urgent=yes",
  "requester=migrant")
row = db.execute("SELECT domain, topic, commune, urgent, requester FROM requests WHERE ref=?",
                 (r0["ref"],)).fetchone()
eq(row, ("langue", "cours_langue", "Sierre", 1, "migrant"), "label: labels corrected")
ev = db.execute("SELECT detail FROM events e JOIN requests r ON r.id=e.request_id WHERE "
                "r.ref=? AND e.kind='label'", (r0["ref"],)).fetchone()[0]
ok("domain: %s -> langue" % before[0] in ev, "label: event old -> new", ev)
g("label", r0["ref"], "topic=creche")
eq(db.execute("SELECT domain, topic FROM requests WHERE ref=?", (r0["ref"],)).fetchone(),
   ("petite_enfance", "creche"), "label topic=: the domain follows the topic")
g("label", r0["ref"], "domain=nope", rc=1)
g("label", r0["ref"], "domain=langue", "topic=creche", rc=1)
g("label", r0["ref"], "commune=Atlantis", rc=1)
g("label", r0["ref"], "colour=red", rc=2)
eq(db.execute("SELECT domain FROM requests WHERE ref=?", (r0["ref"],)).fetchone()[0],
   "petite_enfance", "label: refused values change nothing")
rc, out, err = g("stats", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json")
want = count(y25, "domain")
want[before[0]] -= 1
want["petite_enfance"] = want.get("petite_enfance", 0) + 1
eq(json.loads(out)["breakdowns"]["domain"], {k: v for k, v in want.items() if v},
   "stats follow a label correction")
g("log", "add", "--request", r0["ref"], "--minutes", "45", "--kind", "entretien",
  "--date", "2025-02-03", "--note", "premier entretien")
g("log", "add", "--minutes", "0", "--kind", "entretien", rc=2)
g("log", "add", "--minutes", "30", "--kind", "sieste", rc=2)
g("log", "add", "--minutes", "30", "--kind", "projet", "--date", "2025-13-01", rc=2)
rc, out, err = g("log", "list", "--from", "2025-02-01", "--to", "2025-02-28")
ok(r0["ref"] in out and "premier entretien" in out and re.search(r"Total\s+45\b", out),
   "log list: the entry and its total", out)
rc, out, err = g("export", "--year", "2025", "--format", "json")
eq(json.loads(out)["counselling_interviews"], {"count": 5, "minutes": 225},
   "export counts the new interview")
g("show", "CHI-1999-0001", rc=1)

# ---- digest ------------------------------------------------------------------
rc, out, err = g("digest", "--stdout")
msg = email.message_from_bytes(out.encode("utf-8"), policy=email.policy.default)
eq(msg.get_content_type(), "multipart/alternative", "digest: multipart/alternative")
parts = [p.get_content_type() for p in msg.iter_parts()]
eq(parts, ["text/plain", "text/html"], "digest: plain text then HTML")
text = msg.get_body(("plain",)).get_content()
with open(os.path.join(DIR, "digest.txt"), "w", encoding="utf-8") as f:
    f.write(text)
htm = msg.get_body(("html",)).get_content()
period = [r["ref"] for r in fresh] + ingested_refs
for rf in period:
    eq(text.count(rf), 1, "digest text lists %s once" % rf)
    eq(htm.count(rf), 1, "digest html lists %s once" % rf)
urgent = [r["ref"] for r in fresh if r["urgent"]]
pos = {rf: text.index(rf) for rf in period}
ok(max(pos[u] for u in urgent) < min(pos[r] for r in period if r not in urgent),
   "digest: urgent requests first")
ok(re.search(r"\b%d nouvelles demandes, dont 2 urgentes" % len(period), text),
   "digest: counts at the top", text[:600])
wait_pos = [text.index(r["ref"]) for r in sorted(waiting, key=lambda r: r["created"])]
eq(wait_pos, sorted(wait_pos), "digest: waiting requests oldest first")
ok("attend depuis 9 j" in text, "digest: age of the oldest waiting request")
ok(followed["ref"] in text and "Avez-vous reçu ma relance" in text, "digest: follow-up")
ok("550 5.1.1 no such user" in text, "digest: failed send")
ok("spam@example.com" in text and "too large" in text, "digest: quarantined mail")
ok("Deuxième ligne." in text and "Quatrième." not in text, "digest: first lines only")
ok("Sujet" in text or "Nouvelle demande 0" in text, "digest: subjects")
sp = Strict()
sp.feed(htm)
ok(not sp.errors and not sp.stack, "digest html: tags balanced", (sp.errors, sp.stack))
ok("résumé" in msg["Subject"] and "2 urgentes" in msg["Subject"], "digest: subject", msg["Subject"])
with open(os.path.join(DIR, "digest.html"), "w", encoding="utf-8") as f:
    f.write(htm)

rc, out, err = g("digest", "--send")
eq(db.execute("SELECT count(*) FROM outbox WHERE kind='digest'").fetchone()[0], 1,
   "digest --send: queued once")
eq(db.execute("SELECT count(*) FROM periods WHERE kind='digest'").fetchone()[0], 1,
   "digest --send: period recorded")
row = db.execute("SELECT o.rcpt, o.status FROM outbox o JOIN periods p ON p.outbox_id = o.id"
                 ).fetchone()
eq(row, ("digest@example.test", "queued"), "digest --send: to digest.to, in the outbox")
rc, out, err = g("digest", "--send")
ok("déjà" in out, "digest --send again the same day: refused", out)
eq(db.execute("SELECT count(*) FROM outbox WHERE kind='digest'").fetchone()[0], 1,
   "digest --send again: nothing queued")
rc, out, err = g("digest")
eq(len(out.strip().splitlines()), 1, "digest after the last one: one line")
ok(out.startswith("Rien de nouveau"), "digest after the last one: nothing new", out)

# ---- rendering in a real browser -------------------------------------------------
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium is None:
    print("# SKIP rendering: chromium is not installed (make deps installs it)")
else:
    for name, src, size in (("report", html_path, "1100,2400"),
                            ("digest", os.path.join(DIR, "digest.html"), "420,1800")):
        png = os.path.join(DIR, name + ".png")
        prof = os.path.join(DIR, "chromium-" + name)
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--user-data-dir=" + prof, "--screenshot=" + png,
                        "--window-size=" + size, "file://" + src],
                       capture_output=True, timeout=120, cwd=DIR)
        if not ok(os.path.exists(png), "%s rendered by chromium" % name):
            continue
        res = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "lib", "png.py"),
                              "colours", png], capture_output=True, text=True)
        ncol, top = res.stdout.split()
        ok(int(ncol) > 40 and float(top) < 0.97, "%s PNG is not blank (%s colours, "
           "background %s)" % (name, ncol, top))
        keep = os.environ.get("VIEW_KEEP")
        if keep:
            shutil.copy(os.path.join(DIR, "digest.txt"), keep)
            shutil.copy(png, os.path.join(keep, name + ".png"))
            shutil.copy(src, os.path.join(keep, name + ".html"))

print("1..%d" % N)
if FAILS:
    print("# %d failed" % FAILS)
sys.exit(1 if FAILS else 0)
