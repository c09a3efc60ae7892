#!/bin/bash
# The systemd units: `systemd-analyze verify` accepts them and the daemon's
# sandbox rates 2.0 or lower with `systemd-analyze security --offline=yes`.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${GUICHET:=$ROOT/guichet}" "${TESTS_TMP:=/tmp}"
if ! command -v systemd-analyze >/dev/null; then
	echo "ok - skipped: systemd-analyze is not installed"
	exit 0
fi
W=$(mktemp -d "$TESTS_TMP/daemon-units.XXXXXX")
trap 'rm -rf "$W"' EXIT
fails=0
# verify checks that ExecStart exists: point the copies at the built binary.
for u in guichet.service guichet-digest.service guichet-digest.timer; do
	sed "s|/usr/local/bin/guichet|$GUICHET|g" "$ROOT/systemd/$u" > "$W/$u"
done
if (cd "$W" && systemd-analyze verify --man=no ./guichet.service ./guichet-digest.service \
    ./guichet-digest.timer) > "$W/verify.out" 2>&1 && ! grep -q . "$W/verify.out"; then
	echo "ok - systemd-analyze verify"
else
	echo "not ok - systemd-analyze verify"; cat "$W/verify.out"; fails=$((fails + 1))
fi
for u in guichet.service guichet-digest.service; do
	line=$(systemd-analyze security --offline=yes "$W/$u" 2>&1 | grep "Overall exposure level")
	level=$(echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p')
	if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
		echo "ok - $u exposure $level"
	else
		echo "not ok - $u exposure '${level:-?}' (want <= 2.0): $line"; fails=$((fails + 1))
	fi
done
# The daemon unit must keep its essentials.  It runs as the static user
# of debian/guichet.sysusers (no DynamicUser=, which would give the store
# to a different uid at each start of an installed package); the package
# owns /etc/guichet (0750 root:guichet), so no ConfigurationDirectory=.
grep -q '^DynamicUser=' "$ROOT"/systemd/*.service && { echo "not ok - a unit has DynamicUser="; fails=$((fails + 1)); }
for k in Type=notify WatchdogSec= StateDirectory=guichet User=guichet \
    LoadCredential= ProtectSystem=strict NoNewPrivileges=yes "CapabilityBoundingSet=$"; do
	grep -q "^$k" "$ROOT/systemd/guichet.service" || { echo "not ok - guichet.service lacks $k"; fails=$((fails + 1)); }
done
grep -q '^OnCalendar=Mon..Fri' "$ROOT/systemd/guichet-digest.timer" || { echo "not ok - timer not on weekdays"; fails=$((fails + 1)); }
grep -q 'digest --send' "$ROOT/systemd/guichet-digest.service" || { echo "not ok - digest service"; fails=$((fails + 1)); }
[ "$fails" = 0 ] && echo "ok - units" || exit 1
