#!/usr/bin/env python3
"""tests/mailbox.py: read a test user's mailbox over IMAP (STARTTLS, CA verified).

  tests/mailbox.py USER count   [--folder F] [--wait N [--timeout S]]
  tests/mailbox.py USER headers [--folder F] [--wait N] [HEADER...]   one block per message
  tests/mailbox.py USER raw     [--folder F] [--wait N] [--index I]   raw message(s)
  tests/mailbox.py USER dump    [--folder F] [--wait N] DIR           one file per message

USER is a name of the stack (alice, contact...); its password is read from
$MAILSTACK_PWDIR/USER.  --wait N waits until the folder holds at least N
messages (default timeout 15 s; exit 1 on timeout).  "headers" prints the
named headers (all when none), unfolded, as "Name: value" lines, raw (not
decoded), then "Body-Decoded: ..." lines are NOT printed: use raw for bodies.
"""
import argparse, imaplib, os, ssl, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("user")
ap.add_argument("action", choices=["count", "headers", "raw", "dump"])
ap.add_argument("args", nargs="*")
ap.add_argument("--folder", default="INBOX")
ap.add_argument("--wait", type=int, default=0)
ap.add_argument("--timeout", type=float, default=15)
ap.add_argument("--index", type=int)
ap.add_argument("--port", type=int, default=int(os.environ.get("MAILSTACK_IMAP_PORT", "10143")))
ap.add_argument("--host", default=os.environ.get("MAILSTACK_HOST", "127.0.0.1"))
ap.add_argument("--ca", default=os.environ.get("MAILSTACK_CA"))
a = ap.parse_intermixed_args()

pwdir = os.environ.get("MAILSTACK_PWDIR")
if not pwdir:
    sys.exit("mailbox.py: MAILSTACK_PWDIR not set (eval \"$(tests/mailstack.sh env)\")")
pw = open(os.path.join(pwdir, a.user)).read().strip()

def connect():
    m = imaplib.IMAP4(a.host, a.port, timeout=20)
    ctx = ssl.create_default_context(cafile=a.ca) if a.ca else ssl.create_default_context()
    m.starttls(ssl_context=ctx)
    m.login(a.user, pw)
    return m

def fetch_all():
    m = connect()
    typ, _ = m.select('"%s"' % a.folder, readonly=True)
    if typ != "OK":
        m.logout()
        return []
    typ, data = m.uid("SEARCH", None, "ALL")
    uids = data[0].split() if data and data[0] else []
    msgs = []
    for u in uids:
        typ, d = m.uid("FETCH", u, "(BODY.PEEK[])")
        for part in d:
            if isinstance(part, tuple):
                msgs.append(part[1])
    m.logout()
    return msgs

deadline = time.time() + a.timeout
while True:
    msgs = fetch_all()
    if len(msgs) >= a.wait:
        break
    if time.time() > deadline:
        print("mailbox.py: %s/%s has %d message(s), expected %d" % (a.user, a.folder, len(msgs), a.wait),
              file=sys.stderr)
        if a.action == "count":
            print(len(msgs))
        sys.exit(1)
    time.sleep(0.1)

def header_lines(raw):
    head = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("utf-8", "replace")
    out, cur = [], None
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and cur is not None:
            cur += " " + line.strip()
        else:
            if cur is not None:
                out.append(cur)
            cur = line
    if cur is not None:
        out.append(cur)
    return out

if a.action == "count":
    print(len(msgs))
elif a.action == "headers":
    want = [h.lower() for h in a.args]
    for i, raw in enumerate(msgs):
        if i:
            print()
        for l in header_lines(raw):
            name = l.split(":", 1)[0].lower()
            if not want or name in want:
                print(l)
elif a.action == "raw":
    sel = [msgs[a.index]] if a.index is not None else msgs
    for raw in sel:
        sys.stdout.buffer.write(raw.replace(b"\r\n", b"\n"))
elif a.action == "dump":
    if not a.args:
        sys.exit("mailbox.py: dump needs a folder")
    os.makedirs(a.args[0], exist_ok=True)
    for i, raw in enumerate(msgs):
        with open(os.path.join(a.args[0], "%03d.eml" % (i + 1)), "wb") as f:
            f.write(raw.replace(b"\r\n", b"\n"))
