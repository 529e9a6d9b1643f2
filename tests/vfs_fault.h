/* vfs_fault.h - a SQLite VFS over the default one that fails the Nth write,
 * sync or lock, or reports a full disk (issue 13 item 13), for the tests.
 *
 * vf_install registers it as the default VFS of the process, so every
 * connection the library opens afterwards (it passes no VFS name) goes
 * through it; until a fault is armed it only forwards. Counting starts at
 * vf_arm: the Nth call of the armed kind fails, and so does every later one
 * for VF_FULL (a disk stays full) but only that one for the others (a
 * transient error). Not thread-safe: arm and disarm between operations. */
#ifndef EG_TEST_VFS_FAULT_H
#define EG_TEST_VFS_FAULT_H

typedef enum vf_kind {
	VF_NONE = 0,
	VF_WRITE,  /* xWrite: SQLITE_IOERR_WRITE */
	VF_SYNC,   /* xSync: SQLITE_IOERR_FSYNC */
	VF_LOCK,   /* xLock and xShmLock (taking, not releasing): SQLITE_IOERR_LOCK */
	VF_FULL    /* xWrite and xTruncate growing: SQLITE_FULL, from the Nth write on */
} vf_kind;

/* Registers the shim as the default VFS, once; returns 0 or an SQLite code. */
int vf_install(void);
/* Fails call n (from 1) of kind from now on; n 0 counts without failing. */
void vf_arm(vf_kind kind, long n);
/* Stops failing; the count stays readable. */
void vf_disarm(void);
/* Calls of the armed kind since vf_arm. */
long vf_count(void);
/* Whether a call failed since vf_arm. */
int vf_fired(void);
/* "write", "sync", "lock", "full". */
const char *vf_kind_name(vf_kind kind);

#endif
