#!/usr/bin/env python3
"""delegate_check.py RULES_DIR WORDS FILE...

What the delegate reads, checked word by word: each FILE is a mail (.eml:
its text and HTML parts and HTML attachments; CSV attachments carry codes
beside their labels on purpose) or an HTML page.  Prints one line per
finding, "FILE: what", and exits 1 when there is one.  Forbidden: every
taxonomy code of RULES_DIR/00-taxonomy.conf that is not a plain French word
(section [french] of WORDS), the English words of [english], the patterns
of [hint] (terminal commands, configuration keys, options).  The command
lines an answer repeats as the delegate wrote them are not ours to check.
"""
import email, html, re, sys
from email import policy

rules, words_file, files = sys.argv[1], sys.argv[2], sys.argv[3:]
sections, cur = {}, None
for line in open(words_file, encoding="utf-8"):
    line = line.rstrip("\n")
    if not line.strip() or line.lstrip().startswith("#"):
        continue
    m = re.fullmatch(r"\[(\w+)\]", line.strip())
    if m:
        cur = sections.setdefault(m.group(1), [])
    elif cur is not None:
        cur.append(line.strip())
french = set(sections.get("french", []))
codes = set(re.findall(r'code\s*=\s*"([^"]+)"', open(rules + "/00-taxonomy.conf",
                                                        encoding="utf-8").read()))
codes -= french


def texts(path):
    """(what, text) pairs a person reads in path."""
    raw = open(path, "rb").read()
    if not path.endswith(".eml"):
        yield "page", strip(raw.decode("utf-8", "replace"))
        return
    m = email.message_from_bytes(raw, policy=policy.default)
    yield "subject", str(m["Subject"] or "")
    for part in m.walk():
        ctype = part.get_content_type()
        if part.is_multipart() or ctype not in ("text/plain", "text/html"):
            continue
        body = part.get_content()
        yield (part.get_filename() or ctype), strip(body) if ctype == "text/html" else body


def strip(h):
    h = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", h)
    h = re.sub(r"(?s)<[^>]+>", " ", h)
    return html.unescape(h)


# An answer repeats each command line as the delegate wrote it ("2. #domaine
# REF interpretariat"): their own words, not ours.
ECHO = re.compile(r"(?m)^\s*\d+\.\s+#.*$")

found = 0
for f in files:
    for what, text in texts(f):
        text = ECHO.sub("", text)
        hits = []
        for c in sorted(codes):
            if re.search(r"(?<![\w-])" + re.escape(c) + r"(?![\w-])", text):
                hits.append("code " + c)
        for w in sections.get("english", []):
            if re.search(r"(?<![\w#-])" + re.escape(w) + r"(?![\w-])", text):
                hits.append("english " + repr(w))
        for p in sections.get("hint", []):
            m = re.search(p, text, re.M)
            if m:
                hits.append("hint " + repr(m.group(0)))
        for h in hits:
            found += 1
            print("%s (%s): %s" % (f, what, h))
sys.exit(1 if found else 0)
