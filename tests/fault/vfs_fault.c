/* SPDX-License-Identifier: MIT */
/*
 * tests/fault/vfs_fault.c - an SQLite VFS shim that fails one chosen I/O
 * operation, for the fault-injection loops (tests/e2e/t2060-store-io-faults.sh).
 *
 * Built as a shared object and preloaded (LD_PRELOAD) into vstrace or
 * vscheck: its constructor wraps the default VFS and registers the wrapper
 * as the new default, so every SQLite file the process opens goes through
 * it.  It counts the file reads, writes, syncs and locks of the process, in
 * order, and fails the N-th of them:
 *   VS_FAULT_N=N          the operation to fail (1-based); unset: count only
 *   VS_FAULT_KIND=io      an I/O error (SQLITE_IOERR_READ/_WRITE/_FSYNC/_LOCK)
 *   VS_FAULT_KIND=full    a write fails with SQLITE_FULL (disk full); other
 *                         operations with an I/O error
 *   VS_FAULT_PERSIST=1    every operation from the N-th on fails too (the
 *                         disk is gone), not only the N-th
 *   VS_FAULT_COUNT=FILE   at exit, write the number of operations counted
 * Without VS_FAULT_N and VS_FAULT_COUNT the shim does nothing.  Test code
 * only: never linked into vstrace.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ffile {
	sqlite3_file base;
	sqlite3_file *real; /* the wrapped file, allocated right after this struct */
} ffile;

static sqlite3_vfs shim, *real_vfs;
static long long n_ops, fail_at;
static int full, persist;
static const char *count_file;

/* 0, or the error the op-th operation gets */
static int fault(int code)
{
	n_ops++;
	if (fail_at > 0 && (n_ops == fail_at || (persist && n_ops > fail_at)))
		return full && code == SQLITE_IOERR_WRITE ? SQLITE_FULL : code;
	return SQLITE_OK;
}

#define REAL(f) (((ffile *)(f))->real)

static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	int rc = fault(SQLITE_IOERR_READ);
	return rc ? rc : REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	int rc = fault(SQLITE_IOERR_WRITE);
	return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	int rc = fault(SQLITE_IOERR_FSYNC);
	return rc ? rc : REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	int rc = fault(SQLITE_IOERR_LOCK);
	return rc ? rc : REAL(f)->pMethods->xLock(REAL(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int f_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }

static int f_chars(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }

static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **out)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* memory-mapped reads would bypass xRead: decline them */
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	(void)f;
	(void)off;
	(void)n;
	*out = NULL;
	return SQLITE_OK;
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f;
	(void)off;
	(void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods methods = {
	3,          f_close,       f_read,      f_write,   f_truncate, f_sync,  f_size,
	f_lock,     f_unlock,      f_reserved,  f_control, f_sector,   f_chars, f_shm_map,
	f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch,   f_unfetch,
};

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out)
{
	(void)vfs;
	ffile *f = (ffile *)file;
	f->real = (sqlite3_file *)&f[1];
	int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out);
	f->base.pMethods = rc == SQLITE_OK && f->real->pMethods ? &methods : NULL;
	return rc;
}

static void report(void)
{
	FILE *f = count_file ? fopen(count_file, "w") : NULL;
	if (f) {
		fprintf(f, "%lld\n", n_ops);
		fclose(f);
	}
}

__attribute__((constructor)) static void vs_fault_init(void)
{
	const char *n = getenv("VS_FAULT_N"), *kind = getenv("VS_FAULT_KIND");
	count_file = getenv("VS_FAULT_COUNT");
	if (!n && !count_file)
		return;
	fail_at = n ? atoll(n) : 0;
	full = kind && !strcmp(kind, "full");
	persist = getenv("VS_FAULT_PERSIST") && !strcmp(getenv("VS_FAULT_PERSIST"), "1");
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs)
		return;
	shim = *real_vfs;
	shim.zName = "vsfault";
	shim.szOsFile = (int)sizeof(ffile) + real_vfs->szOsFile;
	shim.xOpen = f_open;
	shim.pNext = NULL;
	if (sqlite3_vfs_register(&shim, 1) == SQLITE_OK && count_file)
		atexit(report);
}
