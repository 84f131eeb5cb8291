/* Two GNU calls that Swift's Glibc module does not show (it is imported without _GNU_SOURCE):
 * pipe2 with O_CLOEXEC, and the posix_spawn action that closes every inherited descriptor. */
#ifndef CONVSCOPE_SPAWN_SHIM_H
#define CONVSCOPE_SPAWN_SHIM_H

#include <spawn.h>
#include <sys/types.h>

/* A pipe whose two ends are close-on-exec from the start; 0 or -1 with errno set. */
int cs_pipe_cloexec(int fds[2]);

/* Adds "close every descriptor >= from" to the actions; 0, or an error number when the C
 * library cannot (then the caller relies on close-on-exec alone). */
int cs_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from);

/* Starts `path` with `argv` and `envp` on a new pseudo-terminal of `columns` x `rows`, as the
 * leader of a new session with the terminal as its controlling one and as descriptors 0, 1 and
 * 2; `extra_fd` (when >= 0) becomes its descriptor 3; every other descriptor is closed. The
 * master end goes to *master_out (close-on-exec), the child's pid to *pid_out. 0, or an error
 * number. */
int cs_pty_spawn(const char *path, char *const argv[], char *const envp[], unsigned short columns,
                 unsigned short rows, int extra_fd, int *master_out, pid_t *pid_out);

#endif
