/*
 * tests/lib/powercut.c: an LD_PRELOAD shim that makes a kill -9 look like a
 * power cut to the store.  For every file under $POWERCUT_DIR whose name ends
 * in ".db" or "-wal", each write first appends the bytes it overwrites (and
 * the file's size) to FILE.undo; fsync/fdatasync of the file empties that
 * log, because what was written before is then on disk.  After the process
 * is killed, tests/lib/powercut.py undoes every write not followed by a sync,
 * in reverse order: the files hold what a power cut at that moment could
 * have left, the worst case (no unsynced write reached the disk).
 *
 * Build: cc -shared -fPIC -o powercut.so powercut.c -ldl
 * Only the calls SQLite's unix VFS uses for these files are covered: open,
 * open64, openat, close, write, pwrite, pwrite64, ftruncate, fsync,
 * fdatasync.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAXFD 1024

static int undo_fd[MAXFD];	/* undo log of a tracked fd, +1 (0: not tracked) */

static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static void
init(void)
{
	if (real_pwrite64 != NULL)
		return;
	real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
	real_write = dlsym(RTLD_NEXT, "write");
	real_open = dlsym(RTLD_NEXT, "open");
	real_open64 = dlsym(RTLD_NEXT, "open64");
	real_openat = dlsym(RTLD_NEXT, "openat");
	real_close = dlsym(RTLD_NEXT, "close");
	real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
	real_fsync = dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
}

static int
tracked(const char *path)
{
	const char *dir = getenv("POWERCUT_DIR");
	size_t n = strlen(path);

	if (dir == NULL || strncmp(path, dir, strlen(dir)) != 0)
		return 0;
	return (n > 3 && strcmp(path + n - 3, ".db") == 0) ||
	    (n > 4 && strcmp(path + n - 4, "-wal") == 0);
}

static void
track(int fd, const char *path)
{
	char log[4096];
	int u;

	if (fd < 0 || fd >= MAXFD || !tracked(path))
		return;
	snprintf(log, sizeof log, "%s.undo", path);
	u = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (u >= 0)
		undo_fd[fd] = u + 1;
}

/* Append (offset, size before, length, old bytes) before a write at off. */
static void
save(int fd, off_t off, size_t len)
{
	struct stat sb;
	uint64_t hdr[3];
	char *old;
	ssize_t got = 0;
	int u;

	if (fd < 0 || fd >= MAXFD || undo_fd[fd] == 0 || fstat(fd, &sb) != 0)
		return;
	u = undo_fd[fd] - 1;
	old = malloc(len ? len : 1);
	if (off < sb.st_size)
		got = pread(fd, old, len, off);
	if (got < 0)
		got = 0;
	hdr[0] = (uint64_t)off;
	hdr[1] = (uint64_t)sb.st_size;
	hdr[2] = (uint64_t)got;
	/* The record reaches the page cache before the write: a kill cannot split them. */
	if (real_write(u, hdr, sizeof hdr) != sizeof hdr ||
	    real_write(u, old, got) != got)
		abort();
	free(old);
}

static void
synced(int fd)
{
	if (fd >= 0 && fd < MAXFD && undo_fd[fd] != 0)
		real_ftruncate(undo_fd[fd] - 1, 0);
}

int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	init();
	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	fd = real_open(path, flags, mode);
	track(fd, path);
	return fd;
}

int
open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	init();
	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	fd = real_open64(path, flags, mode);
	track(fd, path);
	return fd;
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	init();
	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	fd = real_openat(dirfd, path, flags, mode);
	if (path[0] == '/')
		track(fd, path);
	return fd;
}

int
close(int fd)
{
	init();
	if (fd >= 0 && fd < MAXFD && undo_fd[fd] != 0) {
		real_close(undo_fd[fd] - 1);
		undo_fd[fd] = 0;
	}
	return real_close(fd);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	init();
	save(fd, off, len);
	return real_pwrite64(fd, buf, len, off);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite64(fd, buf, len, off);
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	init();
	if (fd >= 0 && fd < MAXFD && undo_fd[fd] != 0)
		save(fd, lseek(fd, 0, SEEK_CUR), len);
	return real_write(fd, buf, len);
}

int
ftruncate(int fd, off_t len)
{
	struct stat sb;

	init();
	/* A truncation is undone by writing back what it cut off. */
	if (fd >= 0 && fd < MAXFD && undo_fd[fd] != 0 && fstat(fd, &sb) == 0 &&
	    len < sb.st_size)
		save(fd, len, sb.st_size - len);
	return real_ftruncate(fd, len);
}

int
ftruncate64(int fd, off_t len)
{
	return ftruncate(fd, len);
}

int
fsync(int fd)
{
	int rc;

	init();
	rc = real_fsync(fd);
	if (rc == 0)
		synced(fd);
	return rc;
}

int
fdatasync(int fd)
{
	int rc;

	init();
	rc = real_fdatasync(fd);
	if (rc == 0)
		synced(fd);
	return rc;
}
