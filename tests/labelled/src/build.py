#!/usr/bin/env python3
"""Build tests/labelled/*.eml and labels.tsv from the hand-written requests
in tests/labelled/src/*.txt.  Run from anywhere; rewrites the .eml files.

Each request in a .txt file:
    === NAME LANG DOMAIN TOPIC REQUESTER COMMUNE URGENT
    from: Display Name <addr>
    subject: ...
    opts: comma list: latin1 cp1252 qp b64 8bit html alt pdf jpg docx
          lang=xx-YY (Content-Language)
    (blank line)
    body... (until the next ===)
COMMUNE is "-" when none.  URGENT is 0 or 1.  A line "--- quote" in the
body starts a quoted reply written verbatim (the lines keep their "> ").
"""
import datetime, glob, os, sys, email.utils, hashlib, random
from email.message import EmailMessage
from email.mime.text import MIMEText
from email.mime.multipart import MIMEMultipart
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.header import Header
from email import charset as cs
import html as htmlmod, quopri, base64

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
TO = "integration@chippis.ch"

def parse(path):
    reqs, cur, lines = [], None, []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("=== "):
            if cur: reqs.append((cur, lines))
            cur, lines = line[4:].split(), []
        elif cur is not None:
            lines.append(line)
    if cur: reqs.append((cur, lines))
    out = []
    for head, lines in reqs:
        h = {}
        i = 0
        while i < len(lines) and lines[i].strip():
            k, v = lines[i].split(":", 1)
            h[k.strip()] = v.strip()
            i += 1
        body = "\n".join(lines[i + 1:]).strip("\n") + "\n"
        out.append((head, h, body))
    return out

def charset_for(opts):
    if "latin1" in opts: return "iso-8859-1"
    if "cp1252" in opts: return "windows-1252"
    return "utf-8"

def encode_body(text, opts):
    """(Content-Transfer-Encoding, encoded lines) in the charset of opts."""
    raw = text.encode(charset_for(opts))
    if "qp" in opts:
        return "quoted-printable", quopri.encodestring(raw).decode("ascii")
    if "b64" in opts:
        return "base64", base64.encodebytes(raw).decode("ascii")
    if all(b < 128 for b in raw):
        return "7bit", raw.decode("ascii")
    return "8bit", raw

def leaf(ctype, text, opts):
    cte, enc = encode_body(text, opts)
    head = "Content-Type: %s; charset=\"%s\"\nContent-Transfer-Encoding: %s\n\n" % (
        ctype, charset_for(opts), cte)
    return head.encode("ascii") + (enc if isinstance(enc, bytes) else enc.encode("ascii"))

def to_html(body):
    paras = body.strip().split("\n\n")
    out = ['<html><head><meta http-equiv="Content-Type" content="text/html"><style>p{margin:0}</style></head><body>']
    for para in paras:
        if para.startswith(">"):
            q = "<br>\n".join(htmlmod.escape(l.lstrip("> ")) for l in para.splitlines())
            out.append('<blockquote type="cite">%s</blockquote>' % q)
        else:
            out.append("<p>%s</p>" % "<br>\n".join(htmlmod.escape(l) for l in para.splitlines()))
    out.append("</body></html>")
    return "\n".join(out) + "\n"

def multipart(sub, parts, boundary):
    b = b"Content-Type: multipart/%s; boundary=\"%s\"\n\n" % (sub.encode(), boundary.encode())
    b += b"This is a multi-part message in MIME format.\n"
    for p in parts:
        b += b"\n--" + boundary.encode() + b"\n" + p
        if not p.endswith(b"\n"): b += b"\n"
    b += b"\n--" + boundary.encode() + b"--\n"
    return b

def hdr(v):
    if all(ord(c) < 128 for c in v): return v
    return Header(v, "utf-8").encode()

def build(idx, head, h, body, rnd):
    name, lang, domain, topic, req, commune, urgent = head
    opts = [o.strip() for o in h.get("opts", "").split(",") if o.strip()]
    if "html" in opts:
        main = leaf("text/html", to_html(body), opts)
    elif "alt" in opts:
        main = multipart("alternative", [leaf("text/plain", body, opts),
            leaf("text/html", to_html(body), opts)], "=_alt_%d" % idx)
    else:
        main = leaf("text/plain", body, opts)
    atts = [o for o in opts if o in ("pdf", "jpg", "docx")]
    if atts:
        parts = [main]
        for a in atts:
            data = hashlib.sha256((name + a).encode()).digest() * 40
            if a == "pdf":
                ct, fn, data = "application/pdf", {"fr": "attestation.pdf", "de": "Bescheinigung.pdf"}.get(lang, "document.pdf"), b"%PDF-1.4\n" + data
            elif a == "jpg":
                ct, fn, data = "image/jpeg", "IMG_2026%04d.jpg" % idx, b"\xff\xd8\xff\xe0" + data
            else:
                ct, fn = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "CV.docx"
            parts.append(("Content-Type: %s; name=\"%s\"\nContent-Disposition: attachment; filename=\"%s\"\n"
                "Content-Transfer-Encoding: base64\n\n" % (ct, fn, fn)).encode() + base64.encodebytes(data))
        main = multipart("mixed", parts, "=_mix_%d" % idx)
    nm, addr = email.utils.parseaddr(h["from"])
    hd = []
    hd.append("From: " + (email.utils.formataddr((hdr(nm), addr)) if nm else addr))
    hd.append("To: " + h.get("to", TO))
    hd.append("Subject: " + hdr(h.get("subject", "")))
    when = datetime.datetime(2026, 11, 1 + idx % 27, 7 + idx % 12, (idx * 7) % 60,
        (idx * 13) % 60, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    hd.append("Date: " + email.utils.format_datetime(when))
    hd.append("Message-ID: <%s.%d@%s>" % (hashlib.md5(name.encode()).hexdigest()[:16], idx,
        addr.split("@")[-1] if "@" in addr else "example.net"))
    for k in ("cc", "reply-to", "in-reply-to"):
        if k in h: hd.append("%s: %s" % (k.title(), h[k]))
    for k in h:
        if k.startswith("x-") or k in ("list-id", "auto-submitted", "precedence"):
            hd.append("%s: %s" % (k.title() if k.startswith("x-") else k.title(), h[k]))
    if "lang" in h: hd.append("Content-Language: " + h["lang"])
    hd.append("MIME-Version: 1.0")
    return ("\n".join(hd) + "\n").encode() + main

def main():
    rows = []
    rnd = random.Random(42)
    seen = set()
    idx = 0
    for f in sorted(glob.glob(os.path.join(HERE, "*.txt"))):
        for head, h, body in parse(f):
            if len(head) != 7:
                sys.exit("%s: bad header %r" % (f, head))
            idx += 1
            name = head[0]
            if name in seen: sys.exit("duplicate name " + name)
            seen.add(name)
            msg = build(idx, head, h, body, rnd)
            path = os.path.join(OUT, name + ".eml")
            with open(path, "wb") as o:
                o.write(msg)
            rows.append([name + ".eml"] + head[1:])
    for old in glob.glob(os.path.join(OUT, "*.eml")):
        if os.path.basename(old)[:-4] not in seen: os.unlink(old)
    with open(os.path.join(OUT, "labels.tsv"), "w") as o:
        o.write("file\tlanguage\tdomain\ttopic\trequester\tcommune\turgent\n")
        for r in rows: o.write("\t".join(r) + "\n")
    print("%d requests" % len(rows))

main()
