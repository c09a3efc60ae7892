#!/usr/bin/env python3
"""tests/sendmail.py: send one message by SMTP to the test mail stack.

  tests/sendmail.py [--port N] [--tls|--starttls] [--ca FILE] [--user U --password-file F]
                    [--from ADDR] --to ADDR [--to ADDR...] [FILE|-]

The message is read from FILE (or stdin) as is (bytes, any line ending);
--from is the envelope sender ("" for <>; default: the From header's address).
Without FILE and with --subject/--body, a simple UTF-8 message is built.
Port defaults to $MAILSTACK_SMTP_PORT.  Exit 0 when the server accepted it.
"""
import argparse, os, smtplib, ssl, sys
from email.message import EmailMessage
from email.utils import make_msgid, formatdate, parseaddr
from email import message_from_bytes, policy

ap = argparse.ArgumentParser()
ap.add_argument("--host", default=os.environ.get("MAILSTACK_HOST", "127.0.0.1"))
ap.add_argument("--port", type=int, default=int(os.environ.get("MAILSTACK_SMTP_PORT", "10025")))
ap.add_argument("--tls", action="store_true", help="implicit TLS (use the SMTPS port)")
ap.add_argument("--starttls", action="store_true")
ap.add_argument("--ca", default=os.environ.get("MAILSTACK_CA"))
ap.add_argument("--user")
ap.add_argument("--password-file")
ap.add_argument("--from", dest="mail_from")
ap.add_argument("--to", action="append", required=True)
ap.add_argument("--header-from", help="From header when building a message")
ap.add_argument("--subject")
ap.add_argument("--body")
ap.add_argument("--message-id")
ap.add_argument("file", nargs="?")
a = ap.parse_args()

if a.file:
    data = sys.stdin.buffer.read() if a.file == "-" else open(a.file, "rb").read()
else:
    m = EmailMessage()
    m["From"] = a.header_from or a.mail_from or "alice@example.test"
    m["To"] = ", ".join(a.to)
    m["Subject"] = a.subject or "test"
    m["Date"] = formatdate(localtime=True)
    m["Message-ID"] = a.message_id or make_msgid(domain="sender.example.test")
    m.set_content(a.body or "Bonjour,\n\nceci est un test.\n", charset="utf-8", cte="quoted-printable")
    data = m.as_bytes(policy=policy.SMTP)

if a.mail_from is None:
    hdr = message_from_bytes(data, policy=policy.compat32)
    a.mail_from = parseaddr(hdr.get("Return-Path") or hdr.get("From") or "")[1]

# normalise line endings to CRLF for SMTP
data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

ctx = None
if a.tls or a.starttls:
    ctx = ssl.create_default_context(cafile=a.ca) if a.ca else ssl.create_default_context()
try:
    if a.tls:
        s = smtplib.SMTP_SSL(a.host, a.port, context=ctx, timeout=20)
    else:
        s = smtplib.SMTP(a.host, a.port, timeout=20)
    s.ehlo("sender.example.test")
    if a.starttls:
        s.starttls(context=ctx)
        s.ehlo("sender.example.test")
    if a.user:
        pw = open(a.password_file).read().strip()
        s.login(a.user, pw)
    refused = s.sendmail(a.mail_from, a.to, data)
    s.quit()
except (smtplib.SMTPException, OSError) as e:
    print("sendmail.py: %s" % e, file=sys.stderr)
    sys.exit(1)
if refused:
    print("sendmail.py: refused %r" % refused, file=sys.stderr)
    sys.exit(1)
