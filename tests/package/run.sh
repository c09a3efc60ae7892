#!/bin/bash
# tests/package/run.sh: the Debian package as a commune's IT person meets
# it, on this machine, as root (CI: .ci/run).  It installs and purges the
# package for real, so it is not part of `make check`.
#
#  1. `make deb` in a copy of the tree; lintian finds no error or warning.
#  2. Fresh install: `guichet check` refuses the untouched template with
#     file:line and exit 1, `run` refuses to start; filled in for the
#     project's mail stack, check passes and `guichet run --once`, as the
#     guichet user with the credentials the unit names, answers the mail.
#  3. `apt-get remove` keeps configuration and store; `apt-get purge`
#     leaves none of the package's files, its configuration or its store.
#  4. Upgrade: the previous release (PREV_REV, default tag v0.1.0 or the
#     commit it was cut from) packaged with today's debian/, mail ingested,
#     labels, notes, a closed request and time entries; then today's
#     package installed over it: every request, label, event and time
#     entry is still there and the figures by domain are the same.
#
# Prints TAP lines; exits 1 if any failed.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/mailtest.sh
[ "$(id -u)" = 0 ] || { echo "tests/package/run.sh: run as root (installs a package)"; exit 1; }
export DEBIAN_FRONTEND=noninteractive
W="$TESTS_TMP/package"
rm -rf "$W"; mkdir -p "$W"
PREV_REV=${PREV_REV:-}
if [ -z "$PREV_REV" ]; then
	PREV_REV=$(git rev-parse -q --verify v0.1.0^{commit} 2>/dev/null || echo f201fb2)
fi
CONF=/etc/guichet/guichet.conf DB=/var/lib/guichet/guichet.db
# Read the store without ever creating it (as root, that would break it).
sq() { sqlite3 -batch -readonly "$DB" "$@"; }

# A private copy of the tree (its tracked files as they are now): the
# package build runs `make clean`, which must not touch this checkout.
copy_tree() {	# DEST
	mkdir -p "$1"
	git ls-files -z | tar --null -T - -cf - 2>/dev/null | tar -xf - -C "$1"
}
build_deb() {	# SRC -> prints the .deb path
	(cd "$1" && dpkg-buildpackage -us -uc -b > "$1.build.log" 2>&1) || {
		tail -30 "$1.build.log" >&2; return 1; }
	ls "$(dirname "$1")"/guichet_*_"$(dpkg --print-architecture)".deb | grep "$2" | head -1
}
purge() { apt-get purge -y -qq guichet > "$W/purge.log" 2>&1 || true; }
trap 'purge; mt_cleanup' EXIT

echo "# building the package of this tree"
copy_tree "$W/new/src"
NEW=$(build_deb "$W/new/src" "_$(sed -n '1s/.*(\(.*\)).*/\1/p' debian/changelog)_")
mt_check "make deb's build gives a .deb" test -f "$NEW"
echo "# building the previous release ($PREV_REV) with today's debian/"
mkdir -p "$W/old/src"
git archive "$PREV_REV" | tar -xf - -C "$W/old/src"
rm -rf "$W/old/src/debian"; cp -R debian "$W/old/src/debian"
sed '1,/^ -- /d' debian/changelog | sed '/./,$!d' > "$W/old/src/debian/changelog"
OLDV=$(sed -n '1s/.*(\(.*\)).*/\1/p' "$W/old/src/debian/changelog")
OLD=$(build_deb "$W/old/src" "_${OLDV}_")
mt_check "the previous release $OLDV builds" test -f "$OLD"

lintian --fail-on error,warning "$NEW" > "$W/lintian.out" 2>&1
mt_eq "lintian: no error, no warning" 0 $?
grep -v '^running with root' "$W/lintian.out" | sed 's/^/# /'

# -- 2. fresh install ----------------------------------------------------
purge
apt-get install -y -qq "$NEW" > "$W/install.log" 2>&1
mt_eq "apt-get install ./guichet_*.deb" 0 $?
mt_check "the guichet system user exists" getent passwd guichet
mt_eq "/var/lib/guichet is 0700 guichet" "700 guichet" "$(stat -c '%a %U' /var/lib/guichet)"
mt_eq "the configuration is a conffile" "$CONF" "$(dpkg-query -W -f='${Conffiles}' guichet | awk '{print $1}')"
mt_eq "the configuration is 0640 root:guichet" "640 root guichet" "$(stat -c '%a %U %G' $CONF)"
guichet check > "$W/check1.out" 2> "$W/check1.err"
mt_eq "check fails on the untouched template" 1 $?
mt_eq "every complaint is $CONF:LINE: fill in ..." 0 \
    "$(grep -vc "^$CONF:[0-9]*: fill in " "$W/check1.err")"
mt_check "the complaints name the addresses to fill in" \
    grep -q "fill in identity.contact_address" "$W/check1.err"
runuser -u guichet -- guichet run --once > /dev/null 2> "$W/run1.err"
mt_eq "run refuses to start on the template" 1 $?

mt_start package-stack
install -m 644 "$MAILSTACK_DIR/ca.pem" /etc/guichet/ca.pem
install -d -m 700 /etc/guichet/credentials
install -m 600 "$MAILSTACK_DIR/pw/contact" /etc/guichet/credentials/imap
install -m 600 "$MAILSTACK_DIR/pw/contact" /etc/guichet/credentials/smtp
fill() {	# conffile: the template filled in for the test stack
	sed -i -e 's|"FILL IN: the commune[^"]*"|"Commune de Chippis"|' \
	    -e 's|"FILL IN: 2 to 5[^"]*"|"CHI"|' \
	    -e "s|\"FILL IN: the delegate's title[^\"]*\"|\"Déléguée à l'intégration\"|" \
	    -e "s|\"FILL IN: the delegate's own[^\"]*\"|\"delegate@example.test\"|" \
	    -e 's|"FILL IN: the public address[^"]*"|"contact@example.test"|' \
	    -e 's|^\(\s*\)office_hours = (.*|\1office_hours = ( { days = "tue,thu"; from = "08:30"; to = "11:30"; place = "Bureau communal"; } );|' \
	    -e 's|"FILL IN: the login[^"]*"|"contact"|' \
	    -e 's|"FILL IN: the SMTP login[^"]*"|"contact"|' \
	    -e 's|"FILL IN: the authserv-id[^"]*"|"mail.example.test"|' \
	    -e "s|\"FILL IN: the IMAP server[^\"]*\";|\"127.0.0.1\"; port = $MAILSTACK_IMAP_PORT; ca_file = \"/etc/guichet/ca.pem\";|" \
	    -e "s|\"FILL IN: the SMTP server[^\"]*\";|\"127.0.0.1\"; port = $MAILSTACK_SMTP_PORT; ca_file = \"/etc/guichet/ca.pem\";|" \
	    -e 's|security = "tls";|security = "starttls";|' "$1"
}
fill $CONF
guichet check > "$W/check2.out" 2> "$W/check2.err"
mt_eq "check passes once filled in for the test stack" 0 $?
sed 's/^/# /' "$W/check2.err"

# The unit's LoadCredential= lines, as systemd would hand them over.
creds() {
	local cd=$1 line name path
	rm -rf "$cd"; install -d -m 700 -o guichet "$cd"
	while IFS= read -r line; do
		name=${line#LoadCredential=}; path=${name#*:}; name=${name%%:*}
		install -m 400 -o guichet "$path" "$cd/$name"
	done < <(grep '^LoadCredential=' /lib/systemd/system/guichet.service)
}
creds /run/guichet-test-credentials
for i in 1 2 3; do
	tests/sendmail.py --from "alice@example.test" --to contact@example.test \
	    --subject "Cours de français $i" \
	    --body "Bonjour, je cherche un cours de français pour adultes à Chippis, le soir. Merci. Alice" \
	    > /dev/null || mt_fail "delivery $i"
done
tests/mailbox.py contact count --wait 3 > /dev/null 2>&1
runuser -u guichet -- env CREDENTIALS_DIRECTORY=/run/guichet-test-credentials \
    guichet --config $CONF run --once > "$W/run2.out" 2> "$W/run2.err"
mt_eq "run --once as guichet with the unit's credentials" 0 $?
mt_eq "the three mails are requests in /var/lib/guichet" 3 \
    "$(sq 'SELECT count(*) FROM requests')"
mt_check "the store is the guichet user's, 0600" \
    test "$(stat -c '%a %U' $DB)" = "600 guichet"
tests/mailbox.py alice count --wait 1 > /dev/null 2>&1
mt_check "alice got an acknowledgment" test "$(tests/mailbox.py alice count)" -ge 1

# -- 3. remove keeps, purge removes --------------------------------------
dpkg-query -L guichet | while read -r f; do [ -f "$f" ] && echo "$f"; done > "$W/files"
apt-get remove -y -qq guichet > "$W/remove.log" 2>&1
mt_check "remove keeps the configuration" test -f $CONF
mt_check "remove keeps the store" test -f $DB
apt-get purge -y -qq guichet > "$W/purge1.log" 2>&1
mt_check "purge removes /etc/guichet" test ! -e /etc/guichet
mt_check "purge removes /var/lib/guichet" test ! -e /var/lib/guichet
mt_eq "purge leaves none of the package's files" "" \
    "$(while read -r f; do [ -e "$f" ] && echo "$f"; done < "$W/files")"

# -- 4. upgrade keeps the data -------------------------------------------
apt-get install -y -qq "$OLD" > "$W/install-old.log" 2>&1
mt_eq "the previous release installs" 0 $?
# The previous release's own configuration file (its conffile), pointed at
# the test stack as its installer would have: the upgrade keeps it.
install -m 644 "$MAILSTACK_DIR/ca.pem" /etc/guichet/ca.pem
install -m 600 -o guichet "$MAILSTACK_DIR/pw/contact" /etc/guichet/contact.pw
sed -i -e "s|port = 10143;|port = $MAILSTACK_IMAP_PORT;|" -e "s|port = 10025;|port = $MAILSTACK_SMTP_PORT;|" \
    -e 's|password_file = "[^"]*"|password_file = "/etc/guichet/contact.pw"|' \
    -e 's|ca_file = "[^"]*"|ca_file = "/etc/guichet/ca.pem"|' $CONF
guichet check > "$W/check-old.out" 2>&1
mt_eq "the previous release's configuration passes its check" 0 $?
MAIL=$(mktemp -d /tmp/guichet-package-mail.XXXXXX); chmod 755 "$MAIL"
cp tests/fixtures/demo/0[1-8]-*.eml "$MAIL/"; chmod 644 "$MAIL"/*
as() { runuser -u guichet -- guichet --config $CONF "$@"; }
as ingest "$MAIL" > "$W/ingest-old.out" 2>&1
mt_eq "the previous release ingests mail" 0 $?
refs=$(sq "SELECT ref FROM requests ORDER BY id")
r1=$(echo "$refs" | sed -n 1p) r2=$(echo "$refs" | sed -n 2p) r3=$(echo "$refs" | sed -n 3p)
as label "$r1" domain=langue > /dev/null 2>&1
as note "$r2" "Rappeler jeudi" > /dev/null 2>&1
as close "$r3" > /dev/null 2>&1
as log add --request "$r1" --minutes 45 --kind entretien > /dev/null 2>&1
as log add --minutes 90 --kind seance --note "Séance d'information" > /dev/null 2>&1
snapshot() {	# FILE: what must survive, in a stable order
	sq "
	  SELECT 'R', ref, status, requester, domain, ifnull(topic,''), ifnull(commune,''),
	         language, urgent, created FROM requests ORDER BY ref;
	  SELECT 'E', r.ref, e.kind, ifnull(e.detail,''), e.time FROM events e
	    LEFT JOIN requests r ON r.id = e.request_id ORDER BY e.id;
	  SELECT 'T', t.date, t.minutes, t.kind, ifnull(r.ref,''), ifnull(t.note,'') FROM time_log t
	    LEFT JOIN requests r ON r.id = t.request_id ORDER BY t.id;
	  SELECT 'D', domain, count(*) FROM requests GROUP BY domain ORDER BY domain;
	  SELECT 'M', count(*) FROM messages;" > "$1"
}
snapshot "$W/before"
mt_check "the old store holds requests, events and time" \
    test "$(grep -c '^R' "$W/before")" -ge 8 -a "$(grep -c '^T' "$W/before")" = 2
apt-get install -y -qq -o Dpkg::Options::=--force-confold "$NEW" > "$W/upgrade.log" 2>&1
mt_eq "today's package installs over it" 0 $?
mt_check "the postinst ran the migration" grep -q "store migrated from schema version\|store at schema version" "$W/upgrade.log"
snapshot "$W/after"
mt_eq "every request, label, event, time entry and figure is still there" "" \
    "$(diff "$W/before" "$W/after")"
mt_check "the kept configuration still passes check" as check
as stats > "$W/stats-after.out" 2>&1
mt_eq "stats runs on the upgraded store" 0 $?
rm -rf "$MAIL"
mt_done
