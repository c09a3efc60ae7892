#!/bin/bash
# tests/mailstack.sh: the project's own mail stack on 127.0.0.1, for tests
# and `make demo`.  Dovecot (IMAP plain+STARTTLS, IMAPS, LMTP) and Exim
# (SMTP with STARTTLS and AUTH PLAIN, SMTPS), each in its own process group,
# with their own CA and server certificate.  Never uses ports 25/143/993 nor
# the system's own daemons.  Runs as root (CI), on Debian 12 with
# dovecot-imapd dovecot-lmtpd exim4-daemon-light openssl installed.
#
#   tests/mailstack.sh start [all|imap|smtp]   start (everything by default)
#   tests/mailstack.sh stop  [all|imap|smtp]   stop what start started
#   tests/mailstack.sh env                     shell variables: eval "$(... env)"
#   tests/mailstack.sh status                  which servers answer
#
# Environment (all optional):
#   MAILSTACK_DIR        state folder (default $TESTS_TMP/mailstack or
#                        /tmp/guichet-mailstack); must be reachable by the
#                        users nobody and Debian-exim (no 0700 parents)
#   MAILSTACK_BASE_PORT  default 10000: IMAP base+143, IMAPS base+993,
#                        LMTP base+24, SMTP base+25, SMTPS base+465
#   MAILSTACK_IMAP_PORT, MAILSTACK_IMAPS_PORT, MAILSTACK_LMTP_PORT,
#   MAILSTACK_SMTP_PORT, MAILSTACK_SMTPS_PORT  override one port
#   MAILSTACK_CERT_NAMES subjectAltName of the server certificate (default
#                        DNS:localhost,DNS:mail.example.test,IP:127.0.0.1);
#                        set it to another name to test "host name mismatch"
#   MAILSTACK_AUTH_MECHS SMTP AUTH mechanisms offered (default "PLAIN LOGIN")
#   MAILSTACK_SMTP_MAX_PER_CONN  messages Exim takes per connection (1000)
#   MAILSTACK_SMTP_QUEUE_PER_CONN  messages of a connection Exim delivers at
#                        once, a process forked for each (Exim's
#                        smtp_accept_queue_per_connection); the later ones
#                        wait for the queue runner (-q2s).  Default 0: every
#                        message at once, so a test that counts the copies
#                        delivered (a reply sent twice included) sees them
#                        as soon as the server has accepted them.
#                        tests/bench/burst.sh also uses Exim's default, 10.
#   MAILSTACK_USERS      extra mailbox users (space separated) besides
#                        contact delegate alice bob ana carlos fatima mehmet
#                        olena dawit sara luca
#
# Users are <name>@example.test with a random password (files under
# $MAILSTACK_DIR/pw/<name>, mode 0600; all in $MAILSTACK_DIR/passwords as
# name:password).  Mail for example.test goes to Dovecot
# ($MAILSTACK_DIR/mail/<name>/Maildir); mail for any other domain is
# captured in the Maildir $MAILSTACK_DIR/exim/captured (relaying needs AUTH).
# Every message gets an Authentication-Results header of mail.example.test
# on top: "auth=pass smtp.auth=USER" after SMTP AUTH, else "none".
# At RCPT, unknown@example.test and reject@example.test get a 550,
# tempfail@example.test gets a 450 (for tests of permanent and temporary
# failures).
set -eu

D=${MAILSTACK_DIR:-${TESTS_TMP:-/tmp}/guichet-mailstack}
case "$D" in /*) ;; *) D="$PWD/$D" ;; esac
BASE=${MAILSTACK_BASE_PORT:-10000}
IMAP=${MAILSTACK_IMAP_PORT:-$((BASE + 143))}
IMAPS=${MAILSTACK_IMAPS_PORT:-$((BASE + 993))}
LMTP=${MAILSTACK_LMTP_PORT:-$((BASE + 24))}
SMTP=${MAILSTACK_SMTP_PORT:-$((BASE + 25))}
SMTPS=${MAILSTACK_SMTPS_PORT:-$((BASE + 465))}
CERT_NAMES=${MAILSTACK_CERT_NAMES:-DNS:localhost,DNS:mail.example.test,IP:127.0.0.1}
AUTH_MECHS=${MAILSTACK_AUTH_MECHS:-PLAIN LOGIN}
MAX_PER_CONN=${MAILSTACK_SMTP_MAX_PER_CONN:-1000}
QUEUE_PER_CONN=${MAILSTACK_SMTP_QUEUE_PER_CONN:-0}
USERS="contact delegate alice bob ana carlos fatima mehmet olena dawit sara luca ${MAILSTACK_USERS:-}"
DOMAIN=example.test

die() { echo "mailstack: $*" >&2; exit 1; }
tcp_ok() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Reads the greeting of port $1 and checks it starts with $2.
greets() {
	local line
	exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 1
	IFS= read -r -t 3 line <&3 || { exec 3<&-; return 1; }
	exec 3<&-
	[[ "$line" == "$2"* ]]
}
alive() {	# process group $1 has a live (non-zombie) member
	[ -n "$1" ] || return 1
	ps -e -o pgid=,stat= | awk -v pg="$1" '$1==pg && $2!~/^Z/{f=1} END{exit !f}'
}
# PIDs of processes (any group) whose command line names file $1 (Exim
# re-executes itself with -C for deliveries; those may leave the group).
pids_of_conf() {
	local f pid
	for f in $(grep -laF -- "$1" /proc/[0-9]*/cmdline 2>/dev/null); do
		pid=${f#/proc/}; pid=${pid%/cmdline}
		# only the servers themselves, never a shell or grep naming the file
		case "$(readlink "/proc/$pid/exe" 2>/dev/null)" in
		*/exim4|*/exim|*/dovecot) echo "$pid" ;;
		esac
	done
	return 0
}
wait_port() {	# port pgid-file greeting
	local i
	for i in $(seq 200); do
		if tcp_ok "$1"; then
			greets "$1" "$3" && return 0
			die "port $1 answers but not with '$3': another server? see $D/*.log"
		fi
		alive "$(cat "$2" 2>/dev/null)" || break
		sleep 0.05
	done
	die "port $1 did not open, see $D/dovecot.log $D/exim/mainlog $D/*.stdout"
}

stop_group() {	# name: dovecot or mta
	local f="$D/$1.pgid" pg i conf
	[ "$1" = mta ] && conf="$D/exim.conf" || conf="$D/dovecot.conf"
	if [ -f "$f" ]; then
		pg=$(cat "$f"); rm -f "$f"
		# a stale file (servers gone, number reused) must not kill others
		ps -e -o pgid=,args= | awk -v pg="$pg" -v c="$conf" -v i="guichet-test-$IMAP/" \
			'$1==pg && (index($0, c) || index($0, i)) {f=1} END{exit !f}' || pg=
	fi
	if [ -n "${pg:-}" ]; then
		kill -TERM -- "-$pg" 2>/dev/null || true
		for i in $(seq 250); do alive "$pg" || break; sleep 0.02; done
		kill -KILL -- "-$pg" 2>/dev/null || true
	fi
	# stray children that left the group (Exim deliveries)
	for i in $(pids_of_conf "$conf"); do kill -KILL "$i" 2>/dev/null || true; done
	return 0
}

ensure_root() {
	[ "$(id -u)" = 0 ] || die "must run as root (Exim and Dovecot drop to Debian-exim and nobody)"
	command -v dovecot >/dev/null || die "dovecot not installed (apt-get install dovecot-imapd dovecot-lmtpd)"
	command -v exim4 >/dev/null || die "exim4 not installed (apt-get install exim4-daemon-light)"
	command -v openssl >/dev/null || die "openssl not installed"
}

make_ca() {	# name subject
	[ -f "$D/tls/$1.pem" ] && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
		-subj "/O=guichet tests/CN=$2" -keyout "$D/tls/$1.key" -out "$D/tls/$1.pem" \
		-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
		2>/dev/null || die "openssl: cannot make CA $1"
}

setup_files() {
	mkdir -p "$D/tls" "$D/mail" "$D/exim" "$D/pw" "$D/dc-run" "$D/state"
	chmod 755 "$D" "$D/mail"
	chmod 700 "$D/tls" "$D/pw"
	make_ca ca "guichet test CA"
	make_ca other-ca "unrelated CA"
	if [ ! -f "$D/tls/cert.pem" ] || [ "$(cat "$D/tls/names" 2>/dev/null)" != "$CERT_NAMES" ]; then
		local cn=${CERT_NAMES%%,*}
		cn=${cn#*:}
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-subj "/O=guichet tests/CN=$cn" -keyout "$D/tls/key.pem" \
			-out "$D/tls/cert.csr" 2>/dev/null || die "openssl: cannot make key"
		printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
			"$CERT_NAMES" > "$D/tls/ext.cnf"
		openssl x509 -req -in "$D/tls/cert.csr" -CA "$D/tls/ca.pem" -CAkey "$D/tls/ca.key" \
			-CAcreateserial -days 825 -extfile "$D/tls/ext.cnf" -out "$D/tls/cert.pem" \
			2>/dev/null || die "openssl: cannot sign server certificate"
		echo "$CERT_NAMES" > "$D/tls/names"
	fi
	chmod 600 "$D/tls/key.pem"
	chmod 644 "$D/tls/ca.pem" "$D/tls/other-ca.pem" "$D/tls/cert.pem"
	# Exim drops root: its spool and its copy of the key belong to Debian-exim.
	chown Debian-exim: "$D/exim"
	install -m 600 -o Debian-exim "$D/tls/key.pem" "$D/exim/key.pem"
	install -m 644 "$D/tls/cert.pem" "$D/exim/cert.pem"
	install -m 644 "$D/tls/cert.pem" "$D/cert.pem"
	install -m 600 "$D/tls/key.pem" "$D/key.pem"
	install -m 644 "$D/tls/ca.pem" "$D/ca.pem"
	install -m 644 "$D/tls/other-ca.pem" "$D/other-ca.pem"
	chown nobody:nogroup "$D/mail"
	if command -v runuser >/dev/null; then
		runuser -u Debian-exim -- test -w "$D/exim" ||
			die "$D is not reachable by Debian-exim (a 0700 parent folder?): set MAILSTACK_DIR"
		runuser -u nobody -- test -w "$D/mail" ||
			die "$D is not reachable by nobody (a 0700 parent folder?): set MAILSTACK_DIR"
	fi

	local u pw uid_gid
	uid_gid="$(id -u nobody):$(id -g nobody)"
	: > "$D/passwords.new"
	for u in $USERS; do
		if [ -s "$D/pw/$u" ]; then
			pw=$(cat "$D/pw/$u")
		else
			pw=$(openssl rand -hex 9)
			(umask 077; printf '%s\n' "$pw" > "$D/pw/$u")
		fi
		echo "$u:$pw" >> "$D/passwords.new"
	done
	chmod 600 "$D/passwords.new"; mv "$D/passwords.new" "$D/passwords"
	awk -F: -v ug="$uid_gid" -v d="$D/mail" '{ printf "%s:{PLAIN}%s:%s::%s/%s::\n", $1, $2, ug, d, $1 }' \
		"$D/passwords" > "$D/users"
	chmod 640 "$D/users"; chgrp dovecot "$D/users" 2>/dev/null || chmod 644 "$D/users"
	# Exim's AUTH PLAIN: "user: password" and "user@domain: password".
	awk -F: -v dom="$DOMAIN" '{ printf "%s: %s\n%s@%s: %s\n", $1, $2, $1, dom, $2 }' \
		"$D/passwords" > "$D/exim/smtp-passwd"
	chown Debian-exim: "$D/exim/smtp-passwd"; chmod 600 "$D/exim/smtp-passwd"
	# Known local parts (others get 550 at RCPT); "reject" always gets 550,
	# "tempfail" always 450: for tests of permanent and temporary failures.
	cut -d: -f1 "$D/passwords" | sed 's/$/:/' > "$D/exim/local-users"
	echo "reject:" >> "$D/exim/local-users"
}

write_dovecot_conf() {
	cat > "$D/dovecot.conf" <<EOF
# generated by tests/mailstack.sh
base_dir = $D/dc-run
state_dir = $D/state
log_path = $D/dovecot.log
instance_name = guichet-test-$IMAP
protocols = imap lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <$D/cert.pem
ssl_key = <$D/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
lmtp_save_to_detail_mailbox = no
recipient_delimiter = +
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Ln $D/users
}
userdb {
  driver = passwd-file
  args = username_format=%Ln $D/users
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \\Sent
    auto = create
  }
  mailbox Trash {
    special_use = \\Trash
  }
}
protocol imap {
  mail_max_userip_connections = 50
}
service imap-login {
  inet_listener imap {
    port = $IMAP
  }
  inet_listener imaps {
    port = $IMAPS
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    port = $LMTP
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
EOF
}

write_exim_conf() {
	local ADV_PLAIN=no ADV_LOGIN=no m
	for m in $AUTH_MECHS; do
		case "$m" in PLAIN) ADV_PLAIN=yes ;; LOGIN) ADV_LOGIN=yes ;; esac
	done
	cat > "$D/exim.conf" <<EOF
# generated by tests/mailstack.sh
primary_hostname = mx.$DOMAIN
domainlist local_domains = $DOMAIN
spool_directory = $D/exim
log_file_path = $D/exim/%slog
pid_file_path = $D/exim/exim.pid
local_interfaces = 127.0.0.1
daemon_smtp_ports = $SMTP : $SMTPS
tls_on_connect_ports = $SMTPS
host_lookup =
rfc1413_hosts =
tls_advertise_hosts = *
log_selector = +tls_sni +smtp_protocol_error
tls_certificate = $D/exim/cert.pem
tls_privatekey = $D/exim/key.pem
message_size_limit = 50M
smtp_accept_max = 100
smtp_accept_max_per_connection = $MAX_PER_CONN
smtp_accept_queue_per_connection = $QUEUE_PER_CONN
received_header_text = Received: from \$sender_helo_name by \$primary_hostname with \$received_protocol id \$message_exim_id
acl_smtp_rcpt = acl_rcpt
acl_smtp_data = acl_data
begin acl
acl_rcpt:
  defer domains = +local_domains
        local_parts = tempfail
        message = mailbox busy, try again later
  deny domains = +local_domains
       !local_parts = lsearch;$D/exim/local-users
       message = no such user here
  deny domains = +local_domains
       local_parts = reject
       message = refused by policy
  accept domains = +local_domains
  accept authenticated = *
  deny message = relay not permitted
# RFC 8601, as a receiving server that authenticates its users writes it,
# on top of the header (guichet's commands by mail trust only the topmost).
acl_data:
  warn authenticated = *
       add_header = :at_start:Authentication-Results: mail.$DOMAIN; auth=pass smtp.auth=\$authenticated_id
  warn !authenticated = *
       add_header = :at_start:Authentication-Results: mail.$DOMAIN; none
  accept
begin routers
to_dovecot:
  driver = accept
  domains = +local_domains
  transport = lmtp
capture:
  driver = accept
  transport = capture
begin transports
lmtp:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = $LMTP
  allow_localhost
  hosts_avoid_tls = *
capture:
  driver = appendfile
  directory = $D/exim/captured
  maildir_format
  create_directory
  envelope_to_add
  return_path_add
  user = Debian-exim
begin retry
* * F,5m,2s
begin authenticators
PLAIN:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if eq{\$auth3}{\${lookup{\$auth2}lsearch{$D/exim/smtp-passwd}}}}
  server_set_id = \$auth2
  server_advertise_condition = $ADV_PLAIN
LOGIN:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if eq{\$auth2}{\${lookup{\$auth1}lsearch{$D/exim/smtp-passwd}}}}
  server_set_id = \$auth1
  server_advertise_condition = $ADV_LOGIN
EOF
}

start_imap() {
	[ -f "$D/dovecot.pgid" ] && alive "$(cat "$D/dovecot.pgid")" && die "dovecot already running for $D"
	stop_group dovecot
	local p
	for p in $IMAP $IMAPS $LMTP; do tcp_ok $p && die "port $p busy (another stack? set MAILSTACK_BASE_PORT)"; done
	# a stale master.pid (after kill -9) makes Dovecot refuse to start
	rm -f "$D/dc-run/master.pid"
	setsid dovecot -F -c "$D/dovecot.conf" > "$D/dovecot.stdout" 2>&1 < /dev/null &
	echo $! > "$D/dovecot.pgid"
	wait_port $IMAP "$D/dovecot.pgid" "* OK"
	wait_port $LMTP "$D/dovecot.pgid" "220"
	for p in $IMAPS; do
		for _ in $(seq 100); do tcp_ok $p && break; sleep 0.05; done
		tcp_ok $p || die "port $p did not open, see $D/dovecot.log"
	done
}

start_smtp() {
	[ -f "$D/mta.pgid" ] && alive "$(cat "$D/mta.pgid")" && die "exim already running for $D"
	stop_group mta
	local p
	for p in $SMTP $SMTPS; do tcp_ok $p && die "port $p busy (another stack? set MAILSTACK_BASE_PORT)"; done
	rm -f "$D/exim/exim.pid"
	setsid exim4 -C "$D/exim.conf" -bdf -q2s > "$D/exim.stdout" 2>&1 < /dev/null &
	echo $! > "$D/mta.pgid"
	wait_port $SMTP "$D/mta.pgid" "220"
	for _ in $(seq 100); do tcp_ok $SMTPS && break; sleep 0.05; done
	tcp_ok $SMTPS || die "port $SMTPS did not open, see $D/exim/mainlog"
}

start() {
	ensure_root
	local what=${1:-all}
	mkdir -p "$D"
	setup_files
	write_dovecot_conf
	write_exim_conf
	case "$what" in
	all)	trap 'stop_group mta; stop_group dovecot' ERR
		start_imap; start_smtp; trap - ERR ;;
	imap)	start_imap ;;
	smtp)	start_smtp ;;
	*)	die "start: all, imap or smtp" ;;
	esac
}

stop() {
	case "${1:-all}" in
	all)	stop_group mta; stop_group dovecot ;;
	imap)	stop_group dovecot ;;
	smtp)	stop_group mta ;;
	*)	die "stop: all, imap or smtp" ;;
	esac
}

env_vars() {
	local q
	for q in "MAILSTACK_DIR=$D" "MAILSTACK_HOST=127.0.0.1" "MAILSTACK_DOMAIN=$DOMAIN" \
		"MAILSTACK_IMAP_PORT=$IMAP" "MAILSTACK_IMAPS_PORT=$IMAPS" "MAILSTACK_LMTP_PORT=$LMTP" \
		"MAILSTACK_SMTP_PORT=$SMTP" "MAILSTACK_SMTPS_PORT=$SMTPS" \
		"MAILSTACK_CA=$D/ca.pem" "MAILSTACK_OTHER_CA=$D/other-ca.pem" \
		"MAILSTACK_PASSWORDS=$D/passwords" "MAILSTACK_PWDIR=$D/pw" \
		"MAILSTACK_MAILDIRS=$D/mail" "MAILSTACK_CAPTURED=$D/exim/captured" \
		"MAILSTACK_TOOLS=$(cd "$(dirname "$0")" && pwd)"; do
		printf '%s=%q; export %s\n' "${q%%=*}" "${q#*=}" "${q%%=*}"
	done
}

status() {
	local rc=0
	one() { if greets "$2" "$3"; then echo "$1 $2 up"; else echo "$1 $2 down"; rc=1; fi; }
	one imap "$IMAP" "* OK"; one lmtp "$LMTP" 220; one smtp "$SMTP" 220
	return $rc
}

case "${1:-}" in
start)	start "${2:-all}" ;;
stop)	stop "${2:-all}" ;;
restart) stop "${2:-all}"; start "${2:-all}" ;;
env)	env_vars ;;
status)	status ;;
*)	echo "usage: $0 start|stop|restart [all|imap|smtp] | env | status" >&2; exit 2 ;;
esac
