/* Signal handlers and the exit hook (see include/CNCursesGuard.h). Handlers only touch
 * sig_atomic_t flags, endwin() (as ncurses' own SIGINT handler does), read/write/dup2 and
 * sigaction/raise. */
#include "guard_internal.h"

#include <signal.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>

/* Every signal whose default action ends the process, in two kinds. Quit signals are recorded
 * for the loop to end cleanly (as SIGTERM): the keyboard's and the session's, the user's and the
 * timers', SIGPIPE, and the real-time signals (added in cnc_guard_arm: SIGRTMIN is not a
 * constant). Crash signals restore the terminal and die: faults, aborts and the resource
 * limits' SIGXCPU/SIGXFSZ/SIGSYS, which dump core. */
static const int fixed_quit_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGPIPE,
#ifdef SIGIO
    SIGIO,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
static const int crash_signals[] = { SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV,
                                     SIGXCPU, SIGXFSZ, SIGSYS };
#define N_FIXED_QUIT (sizeof fixed_quit_signals / sizeof fixed_quit_signals[0])
#define N_CRASH (sizeof crash_signals / sizeof crash_signals[0])
#define MAX_QUIT (N_FIXED_QUIT + 64)

static int quit_signals[MAX_QUIT];
static size_t n_quit = 0;

static volatile sig_atomic_t pending = 0;
static volatile sig_atomic_t armed = 0;
static int atexit_registered = 0;
static struct sigaction saved_quit[MAX_QUIT];
static struct sigaction saved_crash[N_CRASH];
/* The signal mask before arming: a parent (a test runner, a shell script) may have blocked the
 * quit signals, and a blocked SIGTERM would never reach the handler. */
static sigset_t saved_mask;
/* SIGWINCH as inherited: ncurses only installs its resize handler when SIGWINCH is not ignored. */
static struct sigaction saved_winch;
static int winch_was_ignored;

/* endwin() and the real stderr back, once. */
static void restore_terminal(void) {
    if (!armed) return;
    armed = 0;
    if (!isendwin()) endwin();
    cnc_guard_release_stderr();
}

static void on_quit(int sig) {
    if (pending == 0) {
        pending = sig;
        return;
    }
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig); /* blocked while this handler runs: delivered, with the default action, on return */
}

/* Whether the kernel raised `sig` for the instruction that is running (it happens again when
 * the handler returns), rather than kill(), raise() or the keyboard sending it. */
static int is_fault(int sig, const siginfo_t *info) {
    if (sig != SIGILL && sig != SIGTRAP && sig != SIGBUS && sig != SIGFPE && sig != SIGSEGV)
        return 0;
    return info != NULL && info->si_code > 0 && info->si_code != SI_KERNEL;
}

static void on_crash(int sig, siginfo_t *info, void *context) {
    size_t i;
    (void)context;
    restore_terminal();
    if (is_fault(sig, info)) {
        /* Returning re-runs the faulting instruction, now into the previous handler: the Swift
         * runtime's crash report (on the restored screen), which then dies of the signal. */
        for (i = 0; i < N_CRASH; i++) {
            if (crash_signals[i] == sig) sigaction(sig, &saved_crash[i], NULL);
        }
        return;
    }
    /* Sent (kill, abort, Ctrl-\): the default action. A previous handler might just return. */
    signal(sig, SIG_DFL);
    raise(sig); /* blocked while this handler runs: delivered on return */
}

static void on_exit_hook(void) { restore_terminal(); }

void cnc_guard_arm(void) {
    struct sigaction sa;
    size_t i;
    if (armed) return;
    pending = 0;
    if (!atexit_registered) {
        atexit_registered = 1;
        atexit(on_exit_hook);
    }
    n_quit = 0;
    for (i = 0; i < N_FIXED_QUIT; i++) quit_signals[n_quit++] = fixed_quit_signals[i];
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    {
        int rt;
        for (rt = SIGRTMIN; rt <= SIGRTMAX && n_quit < MAX_QUIT; rt++) quit_signals[n_quit++] = rt;
    }
#endif
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: a blocking read returns early with EINTR */
    sa.sa_handler = on_quit;
    for (i = 0; i < n_quit; i++) {
        int sig = quit_signals[i];
        sigaction(sig, &sa, &saved_quit[i]);
        /* One a parent chose to ignore (nohup, a shell's trap '' USR1) stays ignored, but the
         * keyboard's and kill's default ones always end the loop cleanly. */
        if (saved_quit[i].sa_handler == SIG_IGN && sig != SIGINT && sig != SIGTERM && sig != SIGHUP)
            sigaction(sig, &saved_quit[i], NULL);
    }
    sa.sa_handler = NULL;
    sa.sa_sigaction = on_crash;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
    for (i = 0; i < N_CRASH; i++) sigaction(crash_signals[i], &sa, &saved_crash[i]);
    /* An ignored SIGWINCH (inherited from a parent) would hide every resize from ncurses. */
    winch_was_ignored = 0;
    if (sigaction(SIGWINCH, NULL, &saved_winch) == 0 && saved_winch.sa_handler == SIG_IGN) {
        winch_was_ignored = 1;
        signal(SIGWINCH, SIG_DFL);
    }
    {
        sigset_t wanted;
        sigemptyset(&wanted);
        sigaddset(&wanted, SIGWINCH);
        for (i = 0; i < n_quit; i++) sigaddset(&wanted, quit_signals[i]);
        for (i = 0; i < N_CRASH; i++) sigaddset(&wanted, crash_signals[i]);
        pthread_sigmask(SIG_UNBLOCK, &wanted, &saved_mask);
    }
    armed = 1;
}

void cnc_guard_disarm(void) {
    size_t i;
    if (!armed) return;
    armed = 0;
    cnc_guard_release_stderr();
    for (i = 0; i < n_quit; i++) sigaction(quit_signals[i], &saved_quit[i], NULL);
    for (i = 0; i < N_CRASH; i++) sigaction(crash_signals[i], &saved_crash[i], NULL);
    if (winch_was_ignored) sigaction(SIGWINCH, &saved_winch, NULL);
    pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
}

int cnc_guard_pending_signal(void) { return pending; }
