#!/bin/bash
# kinds_accuracy: the kind stage on labelled mail, without a store.  Every
# request of tests/labelled* and of the blind set tests/kinds-blind must
# stay a request (a person's mail is never lost to a figure); the blind
# set's non-requests are scored and printed, robots of the loop corpus
# must all be robots or our own mail.
set -u
cd "$(dirname "$0")/../.."
: "${GUICHET:=$PWD/guichet}" "${TESTS_TMP:=$PWD/tests/tmp}"
dir="$TESTS_TMP/kinds_accuracy"; rm -rf "$dir"; mkdir -p "$dir"
sed -e 's/contact_address = "contact@example.test"/contact_address = "integration@chippis.ch"/' \
    -e 's/delegate_address = "delegate@example.test"/delegate_address = "marie.exemple@chippis.ch"/' \
    -e 's/delegate_addresses = \[ "delegate@example.test" \]/delegate_addresses = [ "marie.exemple@chippis.ch" ]/' \
    -e "s|rules = \"rules\"|rules = \"$PWD/rules\"|" \
    -e "s|templates = \"templates\"|templates = \"$PWD/templates\"|" \
    guichet.conf > "$dir/guichet.conf"
"$GUICHET" --config "$dir/guichet.conf" explain --json tests/kinds-blind/*.eml \
    tests/kinds-blind/batch2/*.eml > "$dir/blind.jsonl" 2>/dev/null
"$GUICHET" --config "$dir/guichet.conf" explain --json tests/labelled/*.eml tests/labelled2/*.eml \
    tests/labelled3/*.eml > "$dir/labelled.jsonl" 2>/dev/null
"$GUICHET" --config "$dir/guichet.conf" explain --json tests/fixtures/loops/robot/*.eml > "$dir/robots.jsonl" 2>/dev/null
python3 - "$dir" <<'PY'
import json, os, sys
d = sys.argv[1]
def load(name):
    return [json.loads(l) for l in open(os.path.join(d, name)) if l.startswith("{")]
fail = 0
lab = {}
for t in ("tests/kinds-blind/labels.tsv", "tests/kinds-blind/batch2/labels.tsv"):
    lab.update(l.rstrip("\n").split("\t") for l in open(t) if not l.startswith("file"))
blind = load("blind.jsonl")
exact = sum(1 for j in blind if j["kind"] == lab[os.path.basename(j["file"])])
lost = [j["file"] for j in blind if lab[os.path.basename(j["file"])] == "request" and j["kind"] != "request"]
counted = [j["file"] for j in blind if lab[os.path.basename(j["file"])] != "request" and j["kind"] == "request"]
nreq = sum(1 for v in lab.values() if v == "request")
print("# kinds blind set: exact %d/%d, requests lost %d/%d, non-requests counted %d/%d"
      % (exact, len(blind), len(lost), nreq, len(counted), len(blind) - nreq))
for f in lost:
    print("FAIL blind request lost: %s" % f); fail = 1
# tests/labelled*: every file labelled with a domain other than 'autre' is a person's request
req = set()
for sub in ("labelled", "labelled2", "labelled3"):
    for l in open("tests/%s/labels.tsv" % sub):
        p = l.rstrip("\n").split("\t")
        if p[0] != "file" and len(p) > 2 and p[2] != "autre":
            req.add("tests/%s/%s" % (sub, p[0]))
lab_rows = [j for j in load("labelled.jsonl") if j["file"] in req]
lost2 = [j for j in lab_rows if j["kind"] != "request"]
print("# kinds labelled requests: %d/%d counted" % (len(lab_rows) - len(lost2), len(lab_rows)))
for j in lost2:
    print("FAIL labelled request lost: %s (%s: %s)" % (j["file"], j["kind"], j["kind_reason"])); fail = 1
robots = load("robots.jsonl")
bad = [j for j in robots if j["kind"] not in ("robot", "own")]
print("# kinds loop robots: %d/%d not counted" % (len(robots) - len(bad), len(robots)))
for j in bad:
    print("FAIL robot counted: %s" % j["file"]); fail = 1
sys.exit(fail)
PY
