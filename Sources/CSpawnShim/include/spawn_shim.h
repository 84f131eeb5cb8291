/* Two GNU calls that Swift's Glibc module does not show (it is imported without _GNU_SOURCE):
 * pipe2 with O_CLOEXEC, and the posix_spawn action that closes every inherited descriptor. */
#ifndef CONVSCOPE_SPAWN_SHIM_H
#define CONVSCOPE_SPAWN_SHIM_H

#include <spawn.h>

/* A pipe whose two ends are close-on-exec from the start; 0 or -1 with errno set. */
int cs_pipe_cloexec(int fds[2]);

/* Adds "close every descriptor >= from" to the actions; 0, or an error number when the C
 * library cannot (then the caller relies on close-on-exec alone). */
int cs_spawn_add_closefrom(posix_spawn_file_actions_t *actions, int from);

#endif
