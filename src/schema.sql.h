/*
 * schema.sql.h: the store's schema, one string per version; store.c applies
 * those above PRAGMA user_version in one transaction at open.  Never edit a
 * released step: add a new one.
 *
 * Times are unix seconds (UTC).  Personal data lives only in columns named
 * in privacy.c (sender_addr, sender_name, subject, text, raw, ...), which
 * purge and forget clear; labels and times stay so statistics survive.
 */
static const char *const schema_steps[] = {
/* 1 */
"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
"CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL);\n"
"CREATE TABLE requests(\n"
"  id INTEGER PRIMARY KEY,\n"
"  ref TEXT NOT NULL UNIQUE,\n"
"  status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open','answered','closed')),\n"
"  created INTEGER NOT NULL,\n"		/* received */
"  answered INTEGER,\n"			/* first human answer */
"  closed INTEGER,\n"
"  updated INTEGER NOT NULL,\n"
"  requester TEXT NOT NULL DEFAULT 'inconnu',\n"
"  domain TEXT NOT NULL DEFAULT 'autre',\n"
"  topic TEXT,\n"
"  commune TEXT,\n"
"  language TEXT NOT NULL DEFAULT 'und',\n"
"  urgent INTEGER NOT NULL DEFAULT 0,\n"
"  reply TEXT,\n"			/* ack, orientation, none */
"  reply_reason TEXT,\n"
"  tags TEXT,\n"			/* comma separated */
"  sender_key TEXT,\n"			/* HMAC of the address: caps, counts */
"  sender_addr TEXT,\n"			/* personal: purged/pseudonymised */
"  sender_name TEXT,\n"
"  subject TEXT,\n"
"  pseudonymised INTEGER NOT NULL DEFAULT 0,\n"
"  purged INTEGER NOT NULL DEFAULT 0\n"
");\n"
"CREATE INDEX requests_created ON requests(created);\n"
"CREATE INDEX requests_status ON requests(status);\n"
"CREATE INDEX requests_sender ON requests(sender_key);\n"
"CREATE TABLE messages(\n"
"  id INTEGER PRIMARY KEY,\n"
"  request_id INTEGER REFERENCES requests(id) ON DELETE SET NULL,\n"
"  direction TEXT NOT NULL CHECK(direction IN ('in','out')),\n"
"  status TEXT NOT NULL DEFAULT 'stored' CHECK(status IN ('stored','quarantined')),\n"
"  reason TEXT,\n"			/* why quarantined */
"  dedup_key TEXT UNIQUE,\n"		/* Message-ID or sha256:... */
"  message_id TEXT,\n"
"  in_reply_to TEXT,\n"
"  mailbox TEXT, uidvalidity INTEGER, uid INTEGER,\n"
"  source TEXT,\n"
"  date INTEGER,\n"			/* Date: header */
"  received INTEGER NOT NULL,\n"
"  from_addr TEXT, from_name TEXT,\n"	/* personal */
"  subject TEXT,\n"			/* personal */
"  text TEXT,\n"			/* personal */
"  raw BLOB,\n"				/* personal */
"  size INTEGER NOT NULL DEFAULT 0,\n"
"  attachments INTEGER NOT NULL DEFAULT 0,\n"
"  language TEXT,\n"
"  reply TEXT, reply_reason TEXT,\n"
"  rules TEXT,\n"			/* names of the rules that fired */
"  purged INTEGER NOT NULL DEFAULT 0\n"
");\n"
"CREATE INDEX messages_request ON messages(request_id);\n"
"CREATE INDEX messages_message_id ON messages(message_id);\n"
"CREATE INDEX messages_status ON messages(status);\n"
"CREATE TABLE outbox(\n"
"  id INTEGER PRIMARY KEY,\n"
"  request_id INTEGER REFERENCES requests(id) ON DELETE SET NULL,\n"
"  kind TEXT NOT NULL,\n"		/* ack orientation forward notice digest report command */
"  message_id TEXT NOT NULL,\n"
"  mail_from TEXT NOT NULL DEFAULT '',\n"
"  rcpt TEXT,\n"			/* personal */
"  rcpt_key TEXT,\n"			/* sender_key of rcpt, for caps */
"  data BLOB,\n"			/* personal: cleared after sending + retention */
"  status TEXT NOT NULL DEFAULT 'queued' CHECK(status IN ('queued','sent','failed')),\n"
"  attempts INTEGER NOT NULL DEFAULT 0,\n"
"  next_attempt INTEGER NOT NULL DEFAULT 0,\n"
"  last_answer TEXT,\n"
"  created INTEGER NOT NULL,\n"
"  sent INTEGER\n"
");\n"
"CREATE INDEX outbox_status ON outbox(status, next_attempt);\n"
"CREATE INDEX outbox_rcpt ON outbox(rcpt_key, created);\n"
"CREATE INDEX outbox_message_id ON outbox(message_id);\n"
"CREATE TABLE mailboxes(\n"
"  name TEXT PRIMARY KEY,\n"
"  uidvalidity INTEGER NOT NULL DEFAULT 0,\n"
"  last_uid INTEGER NOT NULL DEFAULT 0\n"
");\n"
"CREATE TABLE events(\n"
"  id INTEGER PRIMARY KEY,\n"
"  request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,\n"
"  time INTEGER NOT NULL,\n"
"  kind TEXT NOT NULL,\n"		/* created followup answered closed reopened note label sent failed purge forget command ... */
"  detail TEXT\n"
");\n"
"CREATE INDEX events_request ON events(request_id);\n"
"CREATE TABLE time_log(\n"
"  id INTEGER PRIMARY KEY,\n"
"  date TEXT NOT NULL,\n"		/* YYYY-MM-DD */
"  minutes INTEGER NOT NULL CHECK(minutes > 0),\n"
"  kind TEXT NOT NULL,\n"		/* entretien permanence telephone courriel seance projet formation */
"  request_id INTEGER REFERENCES requests(id) ON DELETE SET NULL,\n"
"  note TEXT,\n"
"  created INTEGER NOT NULL\n"
");\n"
"CREATE TABLE periods(\n"		/* digests and scheduled reports already sent */
"  kind TEXT NOT NULL,\n"		/* digest monthly annual */
"  period TEXT NOT NULL,\n"		/* e.g. 2026-11-27, 2026-11, 2026 */
"  sent INTEGER NOT NULL,\n"
"  outbox_id INTEGER,\n"
"  PRIMARY KEY(kind, period)\n"
");\n",
/* 2: statistics read every label of a period from this index alone. */
"CREATE INDEX requests_stats ON requests(created, domain, requester, language,\n"
"  commune, topic, status, reply, urgent, answered);\n",
/* 3: the digest finds a period's follow-ups and quarantined mail by time. */
"CREATE INDEX messages_received ON messages(received);\n",
/* 4: export counts the distinct newcomers given first information (export.c). */
"CREATE INDEX requests_newcomers ON requests(created, sender_key)\n"
"  WHERE domain = 'information' AND requester = 'migrant';\n",
/* 5: the global reply cap counts the last hour's replies of every message (store.c). */
"CREATE INDEX outbox_created ON outbox(created);\n",
/*
 * 6: time by domain and topic (store_time.c).  An entry linked to a request
 * takes the request's labels at read time (so it follows corrections); these
 * columns hold a copy taken when it was logged (kept if the request is
 * forgotten) or the domain given to an entry without a request.
 */
"ALTER TABLE time_log ADD COLUMN domain TEXT;\n"
"ALTER TABLE time_log ADD COLUMN topic TEXT;\n"
"CREATE INDEX time_log_date ON time_log(date);\n",
/* 7: the digest finds the period's refused command mails (store_refused.c). */
"CREATE INDEX events_kind_time ON events(kind, time);\n",
/* 8: the per-domain cap counts automatic replies by the recipient's domain (store.c). */
"ALTER TABLE outbox ADD COLUMN rcpt_domain_key TEXT;\n"
"CREATE INDEX outbox_rcpt_domain ON outbox(rcpt_domain_key, created);\n",
/*
 * 9: messages the crash guard set aside: which version did, which one
 * tried again after an upgrade (store_setaside.c).  Their raw bytes stay.
 */
"ALTER TABLE messages ADD COLUMN set_aside_by TEXT;\n"
"ALTER TABLE messages ADD COLUMN retried_by TEXT;\n",
/*
 * 10: the raw mail is stored compressed (rawz.h): raw_codec 1 is one zstd
 * frame; the rows stored before keep their bytes as received (0).  Read it
 * through guichet_raw(raw, raw_codec), which gives the bytes either way.
 */
"ALTER TABLE messages ADD COLUMN raw_codec INTEGER NOT NULL DEFAULT 0;\n",
/*
 * 11: every inbound mail has a kind (kind.c); only kind 'request' is a
 * request of the figures, and the view counted_requests is the one place
 * that says so: statistics, export, reports, digest and list read it.
 * Existing rows: the first inbound message of a request is its request,
 * the others follow-ups; store_rekind_pending() then runs the kind stage
 * over them once (rekind.c).
 */
"ALTER TABLE messages ADD COLUMN kind TEXT;\n"
"ALTER TABLE messages ADD COLUMN kind_reason TEXT;\n"
"ALTER TABLE messages ADD COLUMN flood INTEGER NOT NULL DEFAULT 0;\n"
"ALTER TABLE requests ADD COLUMN kind TEXT NOT NULL DEFAULT 'request';\n"
"UPDATE messages SET kind = CASE WHEN id = (SELECT min(m2.id) FROM messages m2\n"
"  WHERE m2.request_id = messages.request_id AND m2.direction = 'in')\n"
"  THEN 'request' ELSE 'followup' END\n"
"  WHERE direction = 'in' AND request_id IS NOT NULL;\n"
"UPDATE messages SET kind = 'command' WHERE direction = 'in' AND request_id IS NULL\n"
"  AND status = 'stored' AND reply = 'command';\n"
"DROP INDEX requests_stats;\n"
"CREATE INDEX requests_stats ON requests(created, domain, requester, language,\n"
"  commune, topic, status, reply, urgent, answered) WHERE kind = 'request';\n"
"CREATE INDEX messages_kind ON messages(kind, received);\n"
"CREATE VIEW counted_requests AS SELECT * FROM requests WHERE kind = 'request';\n"
"INSERT INTO meta(key, value) SELECT 'rekind', 'pending'\n"
"  WHERE EXISTS(SELECT 1 FROM requests);\n",
/*
 * 12: the text of a message is stored compressed when that makes it
 * smaller (text_codec 1: one zstd frame, as raw_codec); the rows stored
 * before keep it plain (0).  Read it as guichet_text(text, text_codec).
 */
"ALTER TABLE messages ADD COLUMN text_codec INTEGER NOT NULL DEFAULT 0;\n",
/*
 * 13: requests_newcomers (step 4) again, with the kind of counted_requests
 * (step 11) in its condition: without it the index did not say which rows
 * are requests and each of its rows was looked up in the table (the
 * report on 1,000,000 requests spent a third of its time there).
 */
"DROP INDEX requests_newcomers;\n"
"CREATE INDEX requests_newcomers ON requests(created, sender_key)\n"
"  WHERE domain = 'information' AND requester = 'migrant' AND kind = 'request';\n",
/*
 * 14: time_log_date (step 6) with every column the time figures read
 * (store_time.c, store_query.c), so they come from the index alone.  The
 * time log is written by hand, a few rows a day: the wider index costs
 * nothing to the mail's path.
 */
"DROP INDEX time_log_date;\n"
"CREATE INDEX time_log_date ON time_log(date, kind, minutes, request_id, domain, topic);\n",
/*
 * 15: the reply caps (store_outbox.c: the last hour's replies of all
 * senders, a sender's and a domain's last day) count from an index alone.
 * outbox_created (step 5) and the two indexes of steps 1 and 8 did not
 * hold the kind, so each count read every outbox row of its period in the
 * table: for the n-th reply of a burst, n rows (a burst of 1,000 read
 * ~200,000 pages back from the database file, a 2 MB page cache being
 * far smaller than the rows with their messages).
 */
"DROP INDEX outbox_created;\n"
"CREATE INDEX outbox_created ON outbox(created, kind);\n"
"DROP INDEX outbox_rcpt;\n"
"CREATE INDEX outbox_rcpt ON outbox(rcpt_key, created, kind);\n"
"DROP INDEX outbox_rcpt_domain;\n"
"CREATE INDEX outbox_rcpt_domain ON outbox(rcpt_domain_key, created, kind);\n",
};
