#!/usr/bin/env python3
"""commit_ceiling.py DB N SIZE: the disk's ceiling for durable ingest.

N transactions, each inserting one SIZE-byte row into an SQLite WAL database
with synchronous=FULL (one fsync per commit, as `guichet ingest` does), and
prints commits per second.  No parsing at all: guichet cannot ingest faster
than this on the same disk.
"""
import os, sqlite3, sys, time

path, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for s in ("", "-wal", "-shm"):
    try:
        os.unlink(path + s)
    except FileNotFoundError:
        pass
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
db.execute("CREATE TABLE m(id INTEGER PRIMARY KEY, raw BLOB)")
blob = os.urandom(size)
t = time.time()
for i in range(n):
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO m(raw) VALUES(?)", (blob,))
    db.execute("COMMIT")
print("%.0f" % (n / (time.time() - t)))
db.close()
for s in ("", "-wal", "-shm"):
    try:
        os.unlink(path + s)
    except FileNotFoundError:
        pass
