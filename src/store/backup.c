/**
 * @file
 * @brief Online backup of a store through SQLite's backup API: a consistent copy taken while
 * the server keeps reading and writing.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_internal.h"
#include "wijkbeeld/errors.h"

/* fsync a file, or the directory that holds it (so that a rename survives a crash). */
static int sync_path(const char *path, int dir)
{
    int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int wb_store_backup(wb_store *st, const char *dest)
{
    sqlite3 *src = wb_store__db(st);
    const char *src_path = sqlite3_db_filename(src, "main");
    struct stat a, b;
    if (src_path && *src_path && stat(src_path, &a) == 0 && stat(dest, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        wb_error_set(WB_ERRCLASS_STORE, "%s is the store itself: give another file for the copy", dest);
        return WB_EINVALID;
    }
    /* the copy is written under a temporary name in the destination's directory and renamed
     * when complete: FILE is either the old file or a whole new copy, never half of one */
    wb_str tmp = WB_STR_INIT;
    if (wb_str_printf(&tmp, "%s.tmp-XXXXXX", dest) < 0)
        return WB_ENOMEM;
    char *tmpname = (char *)wb_str_cstr(&tmp);
    int fd = mkstemp(tmpname); /* 0600: the copy holds what the store holds */
    if (fd < 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", dest, strerror(errno));
        wb_str_dispose(&tmp);
        return WB_EIO;
    }
    close(fd);
    int error = 0;
    sqlite3 *out = NULL;
    sqlite3_backup *bk = NULL;
    if (sqlite3_open_v2(tmpname, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: %s", dest, out ? sqlite3_errmsg(out) : "out of memory");
        error = WB_ESTORE;
        goto done;
    }
    /* one step: the source is read in one read transaction, so the copy is the state of one
     * moment; in WAL mode writers go on meanwhile (they are not waited for, nor do they wait) */
    bk = sqlite3_backup_init(out, "main", src, "main");
    if (!bk) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: %s", dest, sqlite3_errmsg(out));
        error = WB_ESTORE;
        goto done;
    }
    int rc;
    while ((rc = sqlite3_backup_step(bk, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(50);
    if (rc != SQLITE_DONE) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: copying the store: %s", dest, sqlite3_errstr(rc));
        error = WB_ESTORE;
    }
    rc = sqlite3_backup_finish(bk);
    bk = NULL;
    if (!error && rc != SQLITE_OK) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: copying the store: %s", dest, sqlite3_errmsg(out));
        error = WB_ESTORE;
    }
    /* a self-contained file: no -wal beside it once closed */
    if (!error && sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: %s", dest, sqlite3_errmsg(out));
        error = WB_ESTORE;
    }
done:
    if (out && sqlite3_close(out) != SQLITE_OK && !error) {
        wb_error_set(WB_ERRCLASS_STORE, "%s: closing the copy failed", dest);
        error = WB_ESTORE;
    }
    if (!error && sync_path(tmpname, 0) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", dest, strerror(errno));
        error = WB_EIO;
    }
    if (!error && rename(tmpname, dest) != 0) {
        wb_error_set(WB_ERRCLASS_OS, "%s: %s", dest, strerror(errno));
        error = WB_EIO;
    }
    if (error) {
        unlink(tmpname);
    } else {
        char *d = wb_strdup(dest);
        if (d)
            sync_path(dirname(d), 1); /* best effort: the copy is complete either way */
        wb_free(d);
    }
    wb_str_dispose(&tmp);
    return error;
}
