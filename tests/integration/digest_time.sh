#!/bin/bash
# digest_time.sh: the digest time lives in guichet.conf.  With digest.time
# "07:30" on weekdays, the scheduler the daemon runs every few minutes
# (`guichet schedule --now` here) queues the digest once per day after
# 07:30, not before, not on a Saturday, never twice; "off" leaves it to the
# timer unit; a bad time or day is refused by check with file:line.
. "$(dirname "$0")/../lib/mailtest.sh"
mt_start digest_time
mt_conf_set 's|time = "off";|time = "07:30";|'
g ingest "$MT_ROOT"/tests/fixtures/demo/0[1-3]-*.eml > /dev/null 2>&1
digests() { mt_sql "SELECT count(*) FROM periods WHERE kind = 'digest'"; }
queued() { mt_sql "SELECT count(*) FROM outbox WHERE kind = 'digest'"; }
g schedule --now "2026-12-08 07:29" > "$MT_DIR/s1" 2>&1
mt_eq "Tuesday 07:29: no digest yet" 0 "$(digests)"
g schedule --now "2026-12-08 07:31" > "$MT_DIR/s2" 2>&1
mt_eq "Tuesday 07:31: the digest is queued" "1 1" "$(digests) $(queued)"
mt_check "and said so in French" grep -q "Résumé du 2026-12-08 mis en file d'envoi" "$MT_DIR/s2"
g schedule --now "2026-12-08 16:00" > /dev/null 2>&1
mt_eq "later the same day: not twice" "1 1" "$(digests) $(queued)"
g digest --send > /dev/null 2>&1
g schedule --now "2026-12-12 09:00" > /dev/null 2>&1
mt_eq "Saturday: none" 0 "$(mt_sql "SELECT count(*) FROM periods WHERE kind = 'digest' AND period = '2026-12-12'")"
g schedule --now "2026-12-14 07:30" > /dev/null 2>&1
mt_eq "Monday 07:30: the next one" 1 "$(mt_sql "SELECT count(*) FROM periods WHERE kind = 'digest' AND period = '2026-12-14'")"
mt_conf_set 's|time = "07:30";|time = "off";|'
g schedule --now "2026-12-15 08:00" > /dev/null 2>&1
mt_eq "off: the daemon sends none" 0 "$(mt_sql "SELECT count(*) FROM periods WHERE kind = 'digest' AND period = '2026-12-15'")"
mt_conf_set 's|time = "off";|time = "7h30";|'
g check > /dev/null 2> "$MT_DIR/bad.err"
mt_eq "a bad time: check exits 1" 1 $?
mt_check "with file:line" grep -q "^$MT_CONF:[0-9]*: digest.time \"7h30\"" "$MT_DIR/bad.err"
mt_conf_set 's|time = "7h30";|time = "07:30"; days = "lundi";|'
g check > /dev/null 2> "$MT_DIR/bad2.err"
mt_check "a bad day: refused with file:line" grep -q "^$MT_CONF:[0-9]*: digest.days \"lundi\"" "$MT_DIR/bad2.err"
mt_done
