/* vfs_fault.c - the failing SQLite VFS of vfs_fault.h: every method of the
 * default VFS and of its files is forwarded, but for the armed fault.
 *
 * A shim file is our header followed by the default VFS's own file, so one
 * allocation by SQLite (szOsFile) holds both. */
#include "vfs_fault.h"

#include <sqlite3.h>
#include <string.h>

typedef struct vf_file {
	sqlite3_file base;   /* pMethods: &vf_io, NULL when the real open failed */
	sqlite3_file *real;  /* the default VFS's file, just after this struct */
} vf_file;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim;
static vf_kind armed;
static long target;  /* the call that fails first; 0: none */
static long count;
static int fired;

void vf_arm(vf_kind kind, long n)
{
	armed = kind;
	target = n;
	count = 0;
	fired = 0;
}

void vf_disarm(void)
{
	target = 0;
}

long vf_count(void)
{
	return count;
}

int vf_fired(void)
{
	return fired;
}

const char *vf_kind_name(vf_kind kind)
{
	switch (kind) {
	case VF_WRITE: return "write";
	case VF_SYNC: return "sync";
	case VF_LOCK: return "lock";
	case VF_FULL: return "full";
	default: return "none";
	}
}

/* Counts a call of kind; 1 when it must fail. A full disk stays full. */
static int hit(vf_kind kind)
{
	if (armed != kind)
		return 0;
	count++;
	if (target > 0 && (count == target || (kind == VF_FULL && count > target))) {
		fired = 1;
		return 1;
	}
	return 0;
}

static sqlite3_file *R(sqlite3_file *f)
{
	return ((vf_file *)f)->real;
}

static int f_close(sqlite3_file *f)
{
	return R(f)->pMethods->xClose(R(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return R(f)->pMethods->xRead(R(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (hit(VF_WRITE))
		return SQLITE_IOERR_WRITE;
	if (hit(VF_FULL))
		return SQLITE_FULL;
	return R(f)->pMethods->xWrite(R(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return R(f)->pMethods->xTruncate(R(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (hit(VF_SYNC))
		return SQLITE_IOERR_FSYNC;
	return R(f)->pMethods->xSync(R(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return R(f)->pMethods->xFileSize(R(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
	if (hit(VF_LOCK))
		return SQLITE_IOERR_LOCK;
	return R(f)->pMethods->xLock(R(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
	return R(f)->pMethods->xUnlock(R(f), level);
}

static int f_check(sqlite3_file *f, int *out)
{
	return R(f)->pMethods->xCheckReservedLock(R(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return R(f)->pMethods->xFileControl(R(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return R(f)->pMethods->xSectorSize(R(f));
}

static int f_chars(sqlite3_file *f)
{
	return R(f)->pMethods->xDeviceCharacteristics(R(f));
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
	return R(f)->pMethods->xShmMap(R(f), page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	if ((flags & SQLITE_SHM_LOCK) && hit(VF_LOCK))
		return SQLITE_IOERR_SHMLOCK;
	return R(f)->pMethods->xShmLock(R(f), off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	R(f)->pMethods->xShmBarrier(R(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return R(f)->pMethods->xShmUnmap(R(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
	return R(f)->pMethods->xFetch(R(f), off, n, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return R(f)->pMethods->xUnfetch(R(f), off, p);
}

/* Version 2: shared memory (WAL) but no memory-mapped reads, which would
 * read pages around xRead; the library does not ask for them. */
static const sqlite3_io_methods vf_io = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check,
	f_control, f_sector, f_chars, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap,
	f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	vf_file *p = (vf_file *)f;
	int rc;

	(void)vfs;
	p->real = (sqlite3_file *)(p + 1);
	p->base.pMethods = NULL;
	rc = real_vfs->xOpen(real_vfs, name, p->real, flags, out);
	if (rc == SQLITE_OK && p->real->pMethods != NULL)
		p->base.pMethods = &vf_io;
	return rc;
}

static int v_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync);
}

static int v_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int v_full(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *v_dlopen(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void v_dlerror(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, out);
}

static void (*v_dlsym(sqlite3_vfs *vfs, void *h, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, h, sym);
}

static void v_dlclose(sqlite3_vfs *vfs, void *h)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, h);
}

static int v_random(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int v_sleep(sqlite3_vfs *vfs, int us)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, us);
}

static int v_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int v_lasterr(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int v_time64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

int vf_install(void)
{
	if (real_vfs != NULL)
		return SQLITE_OK;
	if ((real_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return SQLITE_ERROR;
	memset(&shim, 0, sizeof(shim));
	shim.iVersion = 2;
	shim.szOsFile = (int)sizeof(vf_file) + real_vfs->szOsFile;
	shim.mxPathname = real_vfs->mxPathname;
	shim.zName = "eg-fault";
	shim.xOpen = v_open;
	shim.xDelete = v_delete;
	shim.xAccess = v_access;
	shim.xFullPathname = v_full;
	shim.xDlOpen = v_dlopen;
	shim.xDlError = v_dlerror;
	shim.xDlSym = v_dlsym;
	shim.xDlClose = v_dlclose;
	shim.xRandomness = v_random;
	shim.xSleep = v_sleep;
	shim.xCurrentTime = v_time;
	shim.xGetLastError = v_lasterr;
	shim.xCurrentTimeInt64 = v_time64;
	return sqlite3_vfs_register(&shim, 1);
}
