#!/usr/bin/env python3
"""tests/lib/powercut.py DIR: after a kill -9 of a process run with
tests/lib/powercut.so, undo every write to DIR's *.db and *-wal files that
no fsync/fdatasync followed (their FILE.undo logs, newest record first), and
drop the WAL index (-shm), as a power cut followed by a reboot would leave
the store.  Prints how many writes were undone."""
import glob, os, struct, sys

undone = 0
for log in sorted(glob.glob(os.path.join(sys.argv[1], "*.undo"))):
    target = log[:-len(".undo")]
    data = open(log, "rb").read()
    recs, p = [], 0
    while p + 24 <= len(data):
        off, size, n = struct.unpack_from("=QQQ", data, p)
        if p + 24 + n > len(data):
            break			# cut while logging: its write never happened
        recs.append((off, size, data[p + 24:p + 24 + n]))
        p += 24 + n
    if recs and os.path.exists(target):
        with open(target, "r+b") as f:
            for off, size, old in reversed(recs):
                f.seek(off)
                f.write(old)
                f.flush()
                if os.fstat(f.fileno()).st_size > size:
                    f.truncate(size)
        undone += len(recs)
    os.unlink(log)
for shm in glob.glob(os.path.join(sys.argv[1], "*-shm")):
    os.unlink(shm)
print("undone %d" % undone)
