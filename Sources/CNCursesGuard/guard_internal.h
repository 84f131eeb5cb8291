/* Shared between the guard's C files; not part of the module's interface. */
#ifndef CNCURSES_GUARD_INTERNAL_H
#define CNCURSES_GUARD_INTERNAL_H
#include "CNCursesGuard.h"

/** Puts the terminal's fd 2 back and copies what was captured to it. Async-signal-safe. */
void cnc_guard_release_stderr(void);

#endif
