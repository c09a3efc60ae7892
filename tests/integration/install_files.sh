#!/bin/bash
# install_files.sh: what an installation reads agrees with itself.  The
# credential names of the units (LoadCredential=), the production
# template, the sample and guichet.conf(5) are the same; the production
# template is refused by `check` with one "file:line: fill in ..." per
# placeholder, and `run` refuses to start on it; filled in, it passes;
# every warning of check has file:line and --strict makes warnings errors.
# No server is needed.  The package itself is tested by tests/package/run.sh.
set -u
. "$(dirname "$0")/../lib/mailtest.sh"
R=$MT_ROOT
W="$TESTS_TMP/install_files"
rm -rf "$W"; mkdir -p "$W"

names() { sort -u | tr '\n' ' '; }
units=$(grep -ho '^LoadCredential=[a-z0-9_-]*' "$R"/systemd/*.service | cut -d= -f2 | names)
tmpl=$(grep -o 'password_credential = "[^"]*"' "$R/systemd/guichet.conf.in" | cut -d'"' -f2 | names)
man=$(grep -o 'password_credential = "[^"]*"' "$R/man/guichet.conf.5" | cut -d'"' -f2 | names)
sample=$(grep -o 'password_credential = "[^"]*"' "$R/guichet.conf" | cut -d'"' -f2 | names)
mt_eq "units load the credentials imap and smtp" "imap smtp " "$units"
mt_eq "the production template names the units' credentials" "$units" "$tmpl"
mt_eq "guichet.conf(5) names the units' credentials" "$units" "$man"
for n in $sample; do
	case " $units" in *" $n "*) mt_ok "sample credential $n is loaded by the units" ;;
	*) mt_fail "sample credential $n is not loaded by any unit" ;; esac
done
for u in "$R"/systemd/*.service; do
	mt_eq "$(basename "$u") runs as the sysusers.d user" \
	    "$(awk '$1 == "u" { print $2 }' "$R/debian/guichet.sysusers")" \
	    "$(sed -n 's/^User=//p' "$u")"
done

# The production template, as `make install` writes it.
conf="$W/guichet.conf"
sed "s|@DATADIR@|$R|g" "$R/systemd/guichet.conf.in" > "$conf"
want=$(grep -o '= "FILL IN' "$conf" | wc -l)
"$GUICHET" --config "$conf" check > "$W/check.out" 2> "$W/check.err"
mt_eq "check refuses the untouched template" 1 $?
mt_eq "one error per placeholder" "$want" "$(grep -c ': fill in ' "$W/check.err")"
mt_eq "every error has file:line" 0 "$(grep -vc "^$conf:[0-9]*: " "$W/check.err")"
sed -n "s/^$(printf '%s' "$conf" | sed 's/[\/&.]/\\&/g'):\([0-9]*\): fill in.*/\1/p" "$W/check.err" |
while read -r line; do
	sed -n "${line}p" "$conf" | grep -q 'FILL IN' || echo "line $line"
done > "$W/badlines"
mt_eq "each error points at its placeholder's line" "" "$(cat "$W/badlines")"
"$GUICHET" --config "$conf" --db "$W/x.db" run --once > /dev/null 2> "$W/run.err"
mt_eq "run refuses to start on the template" 1 $?
mt_check "run names what to fill in" grep -q ': fill in identity.contact_address' "$W/run.err"
mt_check "run created no store" test ! -e "$W/x.db"

# Filled in the way an installer would.
sed -e 's|"FILL IN: the commune[^"]*"|"Commune de Chippis"|' \
    -e 's|"FILL IN: 2 to 5[^"]*"|"CHI"|' \
    -e "s|\"FILL IN: the delegate's title[^\"]*\"|\"Déléguée à l'intégration\"|" \
    -e "s|\"FILL IN: the delegate's own[^\"]*\"|\"delegue@chippis.example\"|" \
    -e 's|"FILL IN: the public address[^"]*"|"integration@chippis.example"|' \
    -e 's|^\(\s*\)office_hours = (.*|\1office_hours = ( { days = "tue,thu"; from = "08:30"; to = "11:30"; place = "Bureau communal"; } );|' \
    -e 's|"FILL IN: the IMAP server[^"]*"|"mail.chippis.example"|' \
    -e 's|"FILL IN: the login[^"]*"|"integration"|' \
    -e 's|"FILL IN: the SMTP server[^"]*"|"mail.chippis.example"|' \
    -e 's|"FILL IN: the SMTP login[^"]*"|"integration"|' \
    -e 's|"FILL IN: the authserv-id[^"]*"|"mail.chippis.example"|' \
    -e "s|/var/lib/guichet/guichet.db|$W/store/guichet.db|" "$conf" > "$W/filled.conf"
mt_eq "every placeholder is filled in the test copy" 0 "$(grep -c '= "FILL IN' "$W/filled.conf")"
mkdir -m 700 "$W/store"
"$GUICHET" --config "$W/filled.conf" check > "$W/filled.out" 2> "$W/filled.err"
mt_eq "check passes the filled-in template" 0 $?
# Make a warning: a store file others may read.
touch "$W/store/guichet.db"; chmod 644 "$W/store/guichet.db"
"$GUICHET" --config "$W/filled.conf" check > "$W/warn.out" 2> "$W/warn.err"
mt_eq "a warning alone does not fail check" 0 $?
mt_check "the warning is printed" grep -q 'warning: ' "$W/warn.err"
mt_eq "every warning has file:line" 0 "$(grep -c -v "^$W/filled.conf:[0-9]*: " "$W/warn.err")"
"$GUICHET" --config "$W/filled.conf" check --strict > /dev/null 2> "$W/strict.err"
mt_eq "check --strict fails on a warning" 1 $?
mt_done
