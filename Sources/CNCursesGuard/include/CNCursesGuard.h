/*
 * CNCursesGuard: keeps the terminal usable while ncurses owns it.
 *
 * A C target (not static inline functions in CNCurses/shim.h) because its state must be one
 * object: a `static` in a header gets one copy per Swift object file that uses it.
 *
 * Signals, while armed (cnc_guard_arm):
 * - SIGINT, SIGTERM, SIGHUP, and every other signal whose default action ends the process
 *   without a core (SIGUSR1/2, SIGALRM, SIGVTALRM, SIGPROF, SIGPIPE, SIGIO, SIGPWR, SIGSTKFLT,
 *   the real-time signals) are recorded (cnc_guard_pending_signal) for the app loop to quit
 *   cleanly. A second one while the first is still pending restores the terminal and dies of it
 *   at once (the way out when the app is stuck). One the parent left ignored (other than INT,
 *   TERM, HUP) stays ignored.
 * - SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV (Swift traps are SIGILL/SIGTRAP),
 *   SIGXCPU, SIGXFSZ, SIGSYS:
 *   endwin(), then the process dies of the signal. A real fault (the instruction runs again when
 *   the handler returns) first goes to the handler that was there before: the Swift runtime's
 *   crash report, which then prints on the restored screen and dies of the signal itself. A sent
 *   one (kill, abort, Ctrl-\) gets the default action at once: the Swift handler would return
 *   from it and let the process run on.
 * - exit() without cnc_guard_disarm: an atexit hook calls endwin().
 * SIGWINCH is left to ncurses, which turns it into KEY_RESIZE; SIGTSTP (Ctrl-Z) too.
 * Arm before newterm(): ncurses then sees SIGINT/SIGTERM taken and installs no handlers of its own.
 *
 * Standard error, while captured (cnc_guard_capture_stderr): writes to fd 2 go to a temporary
 * file instead of over the screen, and are copied to the real standard error when the terminal
 * is restored (disarm, crash, exit). Nothing is captured when fd 2 is not a terminal.
 */
#ifndef CNCURSES_GUARD_H
#define CNCURSES_GUARD_H

/** Installs the handlers and the exit hook (saving the previous handlers); clears the pending
 *  signal. */
void cnc_guard_arm(void);

/** Restores the terminal's stderr (replaying what was captured) and the previous handlers.
 *  Does not call endwin (the caller does, first). The pending signal stays readable. Idempotent. */
void cnc_guard_disarm(void);

/** The quit signal received since cnc_guard_arm (SIGINT, SIGTERM, SIGHUP, …), or 0. */
int cnc_guard_pending_signal(void);

/** Sends fd 2 to a temporary file until disarm; returns 1 if capturing, 0 if not (fd 2 is not a
 *  terminal, or no temporary file could be made). */
int cnc_guard_capture_stderr(void);

/* Makes malloc serve every block of at least `bytes` from its own mapping, returned to the
 * system when freed (glibc; elsewhere nothing). 1 when set. */
int cnc_prefer_mapped_allocations(int bytes);

#endif
