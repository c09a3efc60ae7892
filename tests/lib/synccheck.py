#!/usr/bin/env python3
"""tests/lib/synccheck.py MODE TRACE: checks, in an strace log (strace -f -y
-s 256 -e trace=fdatasync,fsync,write,pwrite64,sendto,sendmsg), that what
guichet tells the outside world comes after the data it depends on is on
disk: no act while the store's WAL holds a write not yet fsync'ed.

  MODE ingest  the acts are the writes to stdout (fd 1) that report messages
               "stored": each must find the WAL clean (every WAL write since
               the last sync synced); one report may take several write()s.
  MODE move    the acts are the IMAP MOVE (or UID MOVE) commands written to
               a socket: the same (a batch's commit may be followed by a
               MOVE to the done folder and one to the quarantine folder).

Prints "syncs N, acts N, ..." and exits 1 with the offending line when an
act comes before its sync.  The page cache cannot fool this: it looks at
the system calls, not at what survives a process kill.
"""
import re, sys

mode, path = sys.argv[1], sys.argv[2]
call = re.compile(r'^(?:\[pid\s+)?(\d+)\]?\s*(\w+)\((\d+)<([^>]*)>(.*)$')
syncs = acts = wal_writes = groups = 0
dirty = False		# a WAL write not yet synced
since_act = 0		# syncs since the last act
bad = []
for n, line in enumerate(open(path, errors="replace"), 1):
    m = call.match(line)
    if not m:
        continue
    name, fd, target, rest = m.group(2), int(m.group(3)), m.group(4), m.group(5)
    # A sync shown "<unfinished ...>" (another process wrote meanwhile) is
    # counted when it starts: guichet has one thread, which acts only
    # after the sync returned.
    if target.endswith("-wal"):
        if name in ("write", "pwrite64"):
            dirty, wal_writes = True, wal_writes + 1
        elif name in ("fdatasync", "fsync"):
            dirty, syncs, since_act = False, syncs + 1, since_act + 1
        continue
    if mode == "ingest":
        is_act = name == "write" and fd == 1 and "stored" in rest
    else:
        is_act = (name in ("write", "sendto", "sendmsg") and target.startswith(("TCP", "socket:"))
                  and re.search(r'"[A-Za-z0-9]+ (UID )?MOVE ', rest) is not None)
    if not is_act:
        continue
    acts += 1
    if mode == "ingest" and since_act > 0:
        groups += 1
    # one flush may take several write()s after one commit; one commit of
    # a batch may be followed by two MOVEs (done and quarantine folders)
    if dirty or syncs == 0:
        bad.append("line %d: %s before its commit was synced: %s" %
                   (n, "report" if mode == "ingest" else "MOVE",
                    "WAL written since the last sync" if dirty else "no sync before it"))
    since_act = 0
print("syncs %d, acts %d, WAL writes %d%s" % (syncs, acts, wal_writes,
      ", reports after %d distinct syncs" % groups if mode == "ingest" else ""))
for b in bad[:10]:
    print(b)
sys.exit(1 if bad or acts == 0 else 0)
