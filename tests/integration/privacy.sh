#!/bin/bash
# privacy.sh: `forget` and `purge` (zero-day retention) leave none of the
# removed addresses, names or words in the store files (database and WAL),
# statistics are the same before and after, and `access` lists every
# request of a remaining sender.  Fixtures: tests/fixtures/privacy/*.eml.
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=$ROOT/tests/tmp}"
T=$TESTS_TMP/privacy
rm -rf "$T"
mkdir -p "$T"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { echo "not ok - $*"; echo "# files kept in $T"; exit 1; }

# A configuration with zero-day retention; rules and templates of the
# source tree when they load, else a minimal set (this test is about data).
write_conf() {	# rules-dir templates-dir
	cat > "$T/guichet.conf" <<EOF
identity = {
	org_name = "Commune de Chippis"; region_code = "CHI"; delegate_name = "Déléguée";
	delegate_address = "delegate@example.test"; contact_address = "contact@example.test";
};
paths = { store = "unused.db"; rules = "$1"; templates = "$2"; };
limits = { max_message_size = 1024; replies_per_sender_per_day = 10; };
imap = { host = "127.0.0.1"; security = "plain"; user = "contact"; password_file = "pw"; };
smtp = { host = "127.0.0.1"; security = "plain"; };
retention = { text_days = 0; pseudonymise_days = 0; quarantine_days = 0; };
EOF
}
write_conf "$ROOT/rules" "$ROOT/templates"
if ! "$GUICHET" --config "$T/guichet.conf" check > "$T/check.out" 2>&1; then
	echo "# source tree rules/templates do not load; using a minimal set"
	sed 's/^/#   /' "$T/check.out" | head -5
	mkdir -p "$T/rules" "$T/templates"
	cat > "$T/rules/00-domains.conf" <<'EOF'
domains = ( { code = "autre"; fr = "Autre"; de = "Andere"; pic2018 = "autre"; } );
EOF
	for t in ack notice forward orientation; do
		printf 'Subject: Re: {{subject}}\n\nBonjour,\n\nVotre message est bien arrivé.\n' \
		    > "$T/templates/$t.fr.txt"
	done
	write_conf "$T/rules" "$T/templates"
	"$GUICHET" --config "$T/guichet.conf" check > /dev/null || fail "minimal config does not load"
fi
DB=$T/x.db
G() { "$GUICHET" --config "$T/guichet.conf" --db "$DB" "$@"; }

G ingest --json tests/fixtures/privacy/ > "$T/ingest.json" || fail "ingest failed"
[ "$(grep -c '"status":"stored"' "$T/ingest.json")" = 6 ] || fail "6 stored"
[ "$(grep -c '"status":"quarantined"' "$T/ingest.json")" = 1 ] || fail "1 quarantined"
ok "ingest: 6 stored, 1 quarantined"
[ "$(stat -c %a "$DB")" = 600 ] || fail "store not 0600"
ok "store is 0600"
! sqlite3 "$DB" .schema | grep -iE "nationalit|religio|ethni|origin_country|birth" ||
    fail "the schema has a field for sensitive data it must never hold"
ok "no field for nationality, religion or ethnicity"

# Olena's request is closed, so its text falls under the text retention.
olena_ref=$(grep '05.eml' "$T/ingest.json" | sed 's/.*"ref":"\([^"]*\)".*/\1/')
if ! G close "$olena_ref" > /dev/null 2>&1; then
	sqlite3 "$DB" "UPDATE requests SET status = 'closed', closed = strftime('%s','now') \
	    WHERE ref = '$olena_ref'"
fi
[ "$(sqlite3 "$DB" "SELECT status FROM requests WHERE ref = '$olena_ref'")" = closed ] ||
    fail "close $olena_ref"
ok "closed $olena_ref"

# Statistics: the stats command when it works, else counts by label.
stats() {
	if G stats --format json > "$T/stats.raw" 2> /dev/null; then
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("from",None); d.pop("to",None); print(json.dumps(d, sort_keys=True))' "$T/stats.raw"
	fi
	sqlite3 "$DB" "SELECT status, domain, language, requester, urgent, reply, count(*) \
	    FROM requests GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6; \
	    SELECT direction, status, count(*), sum(size) FROM messages GROUP BY 1, 2; \
	    SELECT kind, count(*) FROM outbox GROUP BY 1;"
}
stats > "$T/stats.before"

count() {	# WORD: occurrences in the store files, any case
	cat "$DB" "$DB-wal" "$DB-journal" 2> /dev/null | grep -aio -- "$1" | wc -l
}
for w in ana.zanettin@example.net Zanettin Lucinda Teodoro; do
	[ "$(count "$w")" -gt 0 ] || fail "'$w' should be stored before forget"
done
ok "Ana's data is in the store before forget"

set +e
G forget ana.zanettin@example.net > "$T/forget.dry" 2>&1
rc=$?
set -e
[ $rc = 1 ] || fail "forget without --yes: exit $rc, want 1"
grep -q "2 requests" "$T/forget.dry" || fail "forget without --yes lists 2 requests"
[ "$(count Lucinda)" -gt 0 ] || fail "forget without --yes erased something"
ok "forget without --yes says what it would erase, exits 1, changes nothing"

G forget '<ANA.Zanettin@Example.NET>' --yes > "$T/forget.out" 2>&1 || fail "forget --yes"
ok "forget --yes (address in another case, with brackets)"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE kind = 'forget'")" = 2 ] ||
    fail "one forget event per request"
ok "forget logged once per request"
G access --json sara.quarantelli@example.it > "$T/access-sara.json" || fail "access sara"
grep -q '"other_messages" : \[$' "$T/access-sara.json" && grep -q Saraquarantelli "$T/access-sara.json" ||
    fail "access finds the quarantined message by its bytes"
G forget sara.quarantelli@example.it --yes > "$T/forget-sara.out" || fail "forget sara"
grep -q "1 messages" "$T/forget-sara.out" || fail "forget finds the quarantined message"
G forget dawit.tesfamariam@example.ch --yes > /dev/null || fail "forget dawit"
ok "forget a quarantined sender and a third one"
for w in ana.zanettin@example.net Zanettin Lucinda Teodoro Vergers \
    sara.quarantelli@example.it Quarantelli Saraquarantelli \
    dawit.tesfamariam@example.ch Tesfamariam Asmaraweg; do
	c=$(count "$w")
	[ "$c" = 0 ] || fail "'$w' still found $c times after forget"
done
[ "$(count oksuzoglu@example.org)" -gt 0 ] || fail "forget erased another sender"
ok "after forget, nothing of the three senders is left; others are untouched"

G purge --dry-run > "$T/purge.dry" || fail "purge --dry-run"
grep -q "would purge" "$T/purge.dry" || fail "dry run says what it would purge"
[ "$(count oksuzoglu@example.org)" -gt 0 ] || fail "purge --dry-run changed something"
ok "purge --dry-run changes nothing"

G purge > "$T/purge.out" || fail "purge"
grep -q "purged: 1 closed requests" "$T/purge.out" || fail "purge counts: $(cat "$T/purge.out")"
grep -q "purged: 3 requests: sender" "$T/purge.out" || fail "purge pseudonymised 3"
grep -q "purged: 0 quarantined" "$T/purge.out" || fail "nothing quarantined left"
ok "purge says what it removed"

# None of the removed data may remain anywhere in the files.
for w in ana.zanettin@example.net Zanettin Lucinda Teodoro "Vergers" \
    mehmet.oksuzoglu@example.org Oksuzoglu \
    olena.vasylchenko@example.com Vasylchenko Kvitoslava Ivanofrankivska \
    dawit.tesfamariam@example.ch Tesfamariam \
    sara.quarantelli@example.it Quarantelli Saraquarantelli; do
	c=$(count "$w")
	[ "$c" = 0 ] || fail "'$w' still found $c times in the store files"
done
ok "no removed address, name or word left in $(ls "$DB"* | wc -l) store file(s)"

# Open requests keep their texts (only the sender's name is taken out).
[ "$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE text LIKE '%trois pièces%'")" = 1 ] ||
    fail "an open request lost its text"
ok "open requests keep their texts"

stats > "$T/stats.after"
diff "$T/stats.before" "$T/stats.after" || fail "statistics changed"
ok "statistics unchanged"

G access --json mehmet.oksuzoglu@example.org > "$T/access.json" || fail "access --json"
python3 - "$T/access.json" <<'EOF' || fail "access lists both of Mehmet's requests"
import json, sys
d = json.load(open(sys.argv[1]))
refs = [r["ref"] for r in d["requests"]]
assert len(refs) == 2, refs
assert all(len(r["messages"]) == 1 for r in d["requests"])
assert any("trois pi" in (m["text"] or "") for r in d["requests"] for m in r["messages"])
EOF
ok "access --json lists both of Mehmet's requests with their messages"
G access -o "$T/access.txt" Mehmet.Oksuzoglu@example.org > /dev/null || fail "access -o"
grep -q "2 demandes enregistrées" "$T/access.txt" || fail "French summary"
grep -q '"requests"' "$T/access.txt" || fail "JSON after the summary"
[ "$(stat -c %a "$T/access.txt")" = 600 ] || fail "access file not 0600"
ok "access -o writes a French summary and the JSON, mode 0600"

G forget ana.zanettin@example.net --yes > "$T/forget2.out" || fail "second forget"
grep -q "nothing stored" "$T/forget2.out" || fail "nothing left about Ana"
G purge > "$T/purge2.out" || fail "second purge"
! grep -q "purged: [1-9]" "$T/purge2.out" || fail "second purge found more"
ok "second forget and purge find nothing more"

rm -rf "$T"
echo "1..$n"
