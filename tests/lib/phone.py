#!/usr/bin/env python3
"""phone.py OUTDIR NAME=FILE.html ...

Open each HTML page in headless Chromium 390 px wide (a phone), keep a
screenshot OUTDIR/NAME.png, and print one line "NAME WIDTH" per page, WIDTH
being the page's scrollWidth in CSS pixels: above 390 the reader has to
scroll sideways.  Exit 2 when Chromium is not installed.
"""
import os, re, shutil, subprocess, sys

WIDTH = 390
# Chromium keeps a window at least ~500 px wide: the page goes into a 390 px
# frame, and the frame's document says how wide its content is.
FRAME = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"/></head>"
         "<body style=\"margin:0\"><iframe id=\"p\" src=\"%s\" style=\"width:%dpx;"
         "height:1600px;border:0\"></iframe><script>document.getElementById('p')"
         ".addEventListener('load',function(){var d=this.contentDocument,e=d.documentElement,"
         "b=d.body,w=Math.max(e.scrollWidth,b?b.scrollWidth:0);document.documentElement"
         ".setAttribute('data-scroll-width',String(w));});</script></body></html>")

chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium is None:
    sys.exit(2)
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--window-size=%d,900" % WIDTH]
for arg in sys.argv[2:]:
    name, path = arg.split("=", 1)
    page = os.path.join(out, name + ".html")
    if os.path.abspath(path) != os.path.abspath(page):
        shutil.copy(path, page)
    probe = os.path.join(out, name + ".probe.html")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(FRAME % (name + ".html", WIDTH))
    prof = os.path.join(out, "chromium-" + name)
    shutil.rmtree(prof, ignore_errors=True)
    dom = subprocess.run([chromium] + flags + ["--user-data-dir=" + prof,
                          "--allow-file-access-from-files", "--virtual-time-budget=3000",
                          "--dump-dom", "file://" + probe],
                         capture_output=True, text=True, timeout=120).stdout
    m = re.search(r'data-scroll-width="(\d+)"', dom)
    shutil.rmtree(prof, ignore_errors=True)
    subprocess.run([chromium] + flags + ["--user-data-dir=" + prof,
                    "--screenshot=" + os.path.join(out, name + ".png"), "file://" + page],
                   capture_output=True, timeout=120, cwd=out)
    shutil.rmtree(prof, ignore_errors=True)
    print(name, m.group(1) if m else "?")
