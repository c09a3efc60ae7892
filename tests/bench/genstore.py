#!/usr/bin/env python3
"""genstore.py: fill a guichet store with N synthetic requests, for benchmarks
(stats, export, report on 1,000,000 requests) and for the delegate's-view tests.

    tests/bench/genstore.py [--seed S] [--years 2025,2026] [--timelog N] DB N

The schema is read from src/schema.sql.h so it never drifts from the C one.
The data is deterministic for a given seed.  Labels use codes of the shipped
taxonomy (rules/); senders are pseudonymous keys only, no real addresses.
"""
import argparse, calendar, os, random, re, sqlite3, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

DOMAINS = ["information", "information", "information", "langue", "langue",
           "formation_emploi", "petite_enfance", "discrimination", "vivre_ensemble",
           "interpretariat", "autre"]
TOPICS = {"information": ["permis_sejour", "logement", None], "langue": ["cours_langue", None],
          "formation_emploi": ["emploi", None], "petite_enfance": ["creche", None]}
REQUESTERS = ["migrant", "migrant", "migrant", "association", "commune", "institution", "inconnu"]
LANGS = ["fr", "fr", "fr", "de", "it", "pt", "es", "en", "ar", "ti", "uk", "tr", "sq", "fa", "und"]
COMMUNES = ["Sierre", "Chippis", "Chalais", "Grône", "Sierre", "Chippis", None]
REPLIES = ["ack", "ack", "orientation", "none"]
KINDS = ["entretien", "permanence", "telephone", "courriel", "seance", "projet", "formation"]


def schema_steps():
    text = open(os.path.join(ROOT, "src", "schema.sql.h"), encoding="utf-8").read()
    body = text[text.index("schema_steps[] = {"):]
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    steps, cur = [], []
    for tok in re.finditer(r'"((?:[^"\\]|\\.)*)"|(,)|(})', body):
        if tok.group(1) is not None:
            cur.append(tok.group(1).encode().decode("unicode_escape"))
        elif tok.group(2) and cur:
            steps.append("".join(cur)); cur = []
        elif tok.group(3):
            break
    if cur:
        steps.append("".join(cur))
    return steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("n", type=int)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--years", default="2025,2026")
    ap.add_argument("--timelog", type=int, default=None, help="time_log rows (default n/20)")
    ap.add_argument("--region", default="CHI")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    years = [int(y) for y in a.years.split(",")]
    if os.path.exists(a.db):
        os.unlink(a.db)
    db = sqlite3.connect(a.db)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    steps = schema_steps()
    for s in steps:
        db.executescript(s)
    db.execute("PRAGMA user_version=%d" % len(steps))
    t0 = time.time()
    seq = {}
    rows = []
    nid = [0]

    def flush():
        # A store fills in the order mail arrives: ids, references and the
        # created column ascend together, and the indexes on created grow
        # at their end (their pages lie in the file in the order a range
        # scan reads them).  Rows drawn in random time order scattered them
        # (a cold report read them at random: twice the time).  So each
        # year's rows are written in time order; the same rows as before.
        rows.sort(key=lambda r: r[3])
        for k, r in enumerate(rows):
            y = r[0]
            nid[0] += 1
            seq[y] = seq.get(y, 0) + 1
            rows[k] = (nid[0], "%s-%d-%04d" % (a.region, y, seq[y])) + r[2:]
        db.executemany("INSERT INTO requests(id, ref, status, created, answered, closed, updated,"
                       " requester, domain, topic, commune, language, urgent, reply, sender_key)"
                       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        rows.clear()

    db.execute("BEGIN")
    for i in range(1, a.n + 1):
        y = years[(i - 1) * len(years) // a.n]
        if rows and rows[-1][0] != y:
            flush()
        start = calendar.timegm((y, 1, 1, 0, 0, 0))
        end = calendar.timegm((y + 1, 1, 1, 0, 0, 0))
        created = rnd.randrange(start, end)
        ref = None		# given in time order by flush()
        st = rnd.random()
        status, answered, closed = "open", None, None
        if st < 0.6:
            status = "answered"
            answered = created + rnd.randrange(600, 10 * 86400)
        elif st < 0.85:
            status = "closed"
            answered = created + rnd.randrange(600, 10 * 86400)
            closed = answered + 3600
        dom = rnd.choice(DOMAINS)
        rows.append((y, ref, status, created, answered, closed, created,
                     rnd.choice(REQUESTERS), dom, rnd.choice(TOPICS.get(dom, [None])),
                     rnd.choice(COMMUNES), rnd.choice(LANGS), 1 if rnd.random() < 0.03 else 0,
                     rnd.choice(REPLIES), "k%06x" % rnd.randrange(0, max(1, a.n // 3))))
    flush()
    # The reference counters, as guichet keeps them: new mail ingested into
    # this store gets the next reference of its year, not a taken one.
    db.executemany("INSERT INTO counters(name, value) VALUES (?, ?)",
                   [("ref-%d" % y, n) for y, n in sorted(seq.items())])
    ntl = a.timelog if a.timelog is not None else a.n // 20
    tl = []
    for i in range(ntl):
        y = rnd.choice(years)
        m, d = rnd.randrange(1, 13), rnd.randrange(1, 29)
        tl.append(("%04d-%02d-%02d" % (y, m, d), rnd.choice([15, 30, 45, 60, 90]),
                   rnd.choice(KINDS), None, None, int(time.time())))
    db.executemany("INSERT INTO time_log(date, minutes, kind, request_id, note, created)"
                   " VALUES (?,?,?,?,?,?)", tl)
    db.execute("COMMIT")
    # No ANALYZE: guichet never runs it, so a real store has no sqlite_stat1,
    # and with the statistics ANALYZE wrote here (the partial index
    # requests_stats counted as the whole table) the planner read the
    # figures through requests_created and the table (report 5x slower)
    # instead of the covering requests_stats.
    db.close()
    print("%s: %d requests, %d time_log rows in %.1f s" % (a.db, a.n, ntl, time.time() - t0),
          file=sys.stderr)


if __name__ == "__main__":
    main()
