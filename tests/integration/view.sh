#!/bin/bash
# view: the delegate's view on a store filled with a known set of requests
# (tests/integration/view_test.py): list, show, close, note, label, log,
# stats (table, CSV, JSON), export, report (well-formed, rendered in
# headless Chromium when installed) and the digest (parsed back as MIME,
# sent once per day).  No mail server needed.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=$ROOT/tests/tmp}"
DIR=$(mktemp -d "$TESTS_TMP/view.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
python3 "$ROOT/tests/integration/view_test.py" "$GUICHET" "$DIR" || exit 1

# Requester kinds a rules file adds (tests/fixtures/view/rules-kinds): set
# with `label`, named in the digest and the report by their French label
# from the taxonomy, never by their code.
K="$DIR/kinds" n=0 fails=0
mkdir -p "$K"
sed -e "s|\"rules\";|\"$ROOT/tests/fixtures/view/rules-kinds\";|" \
    -e "s|\"../../../templates\";|\"$ROOT/templates\";|" -e "s|\"view.db\";|\"$K/k.db\";|" \
    "$ROOT/tests/fixtures/view/view.conf" > "$K/k.conf"
gk() { "$GUICHET" --config "$K/k.conf" --db "$K/k.db" "$@"; }
check() {	# what command...
	local what=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $what"; else echo "not ok $n - $what"; fails=$((fails + 1)); fi
}
for k in 0 1; do
	printf 'From: Personne %d <p%d@example.net>\nTo: contact@example.test\nSubject: Question %d\nDate: %s\nMessage-ID: <kind%d@example.net>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nBonjour, une question.\n' \
	    "$k" "$k" "$k" "$(date -R)" "$k" > "$K/m$k.eml"
done
gk ingest --json "$K/m0.eml" "$K/m1.eml" > "$K/ingest.out" 2>&1
refs=$(sed -n 's/.*"ref": *"\([^"]*\)".*/\1/p' "$K/ingest.out")
r0=$(echo "$refs" | sed -n 1p) r1=$(echo "$refs" | sed -n 2p)
check "two mails ingested with the rules-kinds taxonomy" test -n "$r0" -a -n "$r1"
check "label requester=employeur (declared with a label)" gk label "$r0" requester=employeur
check "label requester=service_social (declared without one)" gk label "$r1" requester=service_social
gk digest --stdout > "$K/digest.eml" 2>&1
check "digest names employeur by its French label" grep -q "employeuse ou employeur" "$K/digest.eml"
check "digest names service_social readably" grep -q "service social" "$K/digest.eml"
check "digest shows no kind code" sh -c "! grep -q 'service_social' '$K/digest.eml'"
gk report --year "$(date +%Y)" -o "$K/report.html" > /dev/null 2>&1
check "report names employeur by its French heading" grep -q "Employeurs et employeuses" "$K/report.html"
check "report names service_social readably" grep -q "Service social" "$K/report.html"
check "report shows no kind code" sh -c "! grep -q 'service_social' '$K/report.html'"
[ "$fails" = 0 ]
