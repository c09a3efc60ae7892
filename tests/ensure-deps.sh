#!/bin/sh
# Installs the Debian packages guichet needs (make deps) when any is missing,
# so that `make check` and `make demo` work on a fresh Debian 12.
missing=
pkg-config --exists gmime-3.0 libetpan libconfig sqlite3 gnutls libexttextcat \
    json-glib-1.0 libxml-2.0 libzstd 2>/dev/null || missing="libraries"
for b in cc dovecot exim4 openssl python3 sqlite3 strace xmllint; do
	command -v "$b" >/dev/null 2>&1 || missing="$missing $b"
done
[ -f /usr/share/libexttextcat/fpdb.conf ] || missing="$missing libexttextcat-data"
[ -f /usr/include/linear.h ] || missing="$missing liblinear-dev"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "missing:$missing; run 'make deps' as root first" >&2
	exit 1
fi
echo "installing missing packages ($missing)..." >&2
exec make --no-print-directory deps
