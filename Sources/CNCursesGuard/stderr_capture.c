/* Standard-error capture (see include/CNCursesGuard.h). release_stderr is async-signal-safe. */
#include "guard_internal.h"

#include <stdio.h>
#include <unistd.h>

static int saved_stderr = -1;  /* the terminal's fd 2 while capturing, else -1 */
static int capture_fd = -1;    /* the temporary file while capturing, else -1 */

int cnc_guard_capture_stderr(void) {
    FILE *file;
    if (saved_stderr >= 0) return 1;
    if (!isatty(STDERR_FILENO)) return 0;
    file = tmpfile(); /* already unlinked: nothing is left behind, even after a crash */
    if (file == NULL) return 0;
    capture_fd = dup(fileno(file));
    fclose(file);
    if (capture_fd < 0) return 0;
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(capture_fd, STDERR_FILENO) < 0) {
        if (saved_stderr >= 0) close(saved_stderr);
        close(capture_fd);
        saved_stderr = capture_fd = -1;
        return 0;
    }
    return 1;
}

void cnc_guard_release_stderr(void) {
    char buffer[4096];
    ssize_t n;
    if (saved_stderr < 0) return;
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    if (lseek(capture_fd, 0, SEEK_SET) == 0) {
        while ((n = read(capture_fd, buffer, sizeof buffer)) > 0) {
            ssize_t done = 0;
            while (done < n) {
                ssize_t w = write(STDERR_FILENO, buffer + done, (size_t)(n - done));
                if (w <= 0) break;
                done += w;
            }
            if (done < n) break;
        }
    }
    close(capture_fd);
    capture_fd = -1;
}

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int cnc_prefer_mapped_allocations(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}
