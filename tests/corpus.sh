#!/bin/sh
# tests/corpus.sh GUICHET DIR: robustness run of `guichet ingest --json` over a
# folder of real-world mail (make corpus CORPUS=DIR).  Checks: one JSON line
# per message file, each stored or quarantined with a reason, no crash and no
# sanitizer report; then a second run reports every one a duplicate and adds
# no row.  Prints the counts.  Exit 0 when every check holds.
set -u

GUICHET=${1:?usage: tests/corpus.sh GUICHET DIR}
DIR=${2:?usage: tests/corpus.sh GUICHET DIR (make corpus CORPUS=DIR)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

[ -x "$GUICHET" ] || { echo "corpus: $GUICHET is not executable" >&2; exit 2; }
[ -d "$DIR" ] || { echo "corpus: $DIR is not a folder" >&2; exit 2; }
command -v python3 >/dev/null || { echo "corpus: python3 is needed" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/guichet-corpus.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# A private copy of the sample config: relative paths resolve against its
# folder, so the rules and templates of the source tree are linked beside it.
cp "$ROOT/guichet.conf" "$TMP/guichet.conf"
for d in rules templates tests; do
	[ -e "$ROOT/$d" ] && ln -s "$ROOT/$d" "$TMP/$d"
done
DB="$TMP/corpus.db"

# The message files ingest reads: *.eml anywhere, and Maildir cur/ new/.
find "$DIR" -type f \( -name '*.eml' -o -path '*/cur/*' -o -path '*/new/*' \) \
    ! -path '*/.*' | sort > "$TMP/files"
NFILES=$(wc -l < "$TMP/files")
[ "$NFILES" -gt 0 ] || { echo "corpus: no .eml file under $DIR" >&2; exit 2; }

run() {
	"$GUICHET" --config "$TMP/guichet.conf" --db "$DB" ingest --json "$DIR" \
	    > "$TMP/out$1" 2> "$TMP/err$1"
	echo $? > "$TMP/rc$1"
}

rows() {
	python3 - "$DB" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join("%s=%d" % (t, db.execute("SELECT count(*) FROM " + t).fetchone()[0])
               for t in ("requests", "messages", "outbox", "events")))
EOF
}

START=$(date +%s.%N)
run 1
END=$(date +%s.%N)
ROWS1=$(rows)
run 2
ROWS2=$(rows)

python3 - "$TMP" "$NFILES" "$START" "$END" "$ROWS1" "$ROWS2" <<'EOF'
import json, sys, collections
tmp, nfiles, start, end, rows1, rows2 = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
files = [l.rstrip("\n") for l in open(tmp + "/files", encoding="utf-8", errors="surrogateescape")]
fail = []
KEYS = ("file", "status", "reason", "ref", "message_id", "from", "subject")

def load(n):
    rc = int(open("%s/rc%d" % (tmp, n)).read())
    err = open("%s/err%d" % (tmp, n), errors="replace").read()
    out = []
    for i, line in enumerate(open("%s/out%d" % (tmp, n), encoding="utf-8", errors="strict"), 1):
        try:
            out.append(json.loads(line))
        except ValueError as e:
            fail.append("run %d line %d is not JSON: %s" % (n, i, e))
    if rc not in (0,):
        fail.append("run %d: exit status %d" % (n, rc))
    for bad in ("AddressSanitizer", "runtime error:", "LeakSanitizer", "Segmentation", "CRITICAL", "GLib-"):
        if bad in err:
            fail.append("run %d: stderr mentions %r" % (n, bad))
    return out, err

for n in (1, 2):
    out, err = load(n)
    seen = collections.Counter(o.get("file") for o in out)
    missing = [f for f in files if seen[f] == 0]
    extra = [f for f in seen if f not in set(files)]
    twice = [f for f, c in seen.items() if c > 1]
    if len(out) != nfiles:
        fail.append("run %d: %d JSON lines for %d files" % (n, len(out), nfiles))
    for f in missing[:5]:
        fail.append("run %d: no line for %s" % (n, f))
    for f in (extra + twice)[:5]:
        fail.append("run %d: unexpected or repeated line for %s" % (n, f))
    status = collections.Counter(o.get("status") for o in out)
    for o in out:
        for k in KEYS:
            if k not in o:
                fail.append("run %d: %s: key %r missing" % (n, o.get("file"), k))
                break
        st = o.get("status")
        if n == 1 and st not in ("stored", "quarantined", "duplicate"):
            fail.append("run 1: %s: status %r" % (o.get("file"), st))
        if st == "quarantined" and not o.get("reason"):
            fail.append("run %d: %s: quarantined without a reason" % (n, o.get("file")))
        if n == 2 and st != "duplicate":
            fail.append("run 2: %s: %s, not duplicate" % (o.get("file"), st))
    if n == 1:
        reasons = collections.Counter(o.get("reason") for o in out if o.get("status") == "quarantined")
        secs = end - start
        print("corpus: %d files: %d stored, %d quarantined, %d duplicate within the corpus (%.2f s, %.0f msg/s)"
              % (nfiles, status["stored"], status["quarantined"], status["duplicate"], secs, nfiles / secs if secs > 0 else 0))
        for r, c in reasons.most_common():
            print("corpus:   quarantined %3d  %s" % (c, r))
    else:
        print("corpus: second run: %d duplicate, %d other" % (status["duplicate"], len(out) - status["duplicate"]))
print("corpus: rows after run 1: %s" % rows1)
print("corpus: rows after run 2: %s" % rows2)
if rows1 != rows2:
    fail.append("second run changed the store: %s -> %s" % (rows1, rows2))
for f in fail[:40]:
    print("corpus: FAIL " + f)
if len(fail) > 40:
    print("corpus: ... and %d more failures" % (len(fail) - 40))
print("corpus: %s" % ("PASS" if not fail else "FAIL (%d problems)" % len(fail)))
sys.exit(1 if fail else 0)
EOF
