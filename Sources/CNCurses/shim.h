/*
 * CNCurses: the parts of ncursesw that Swift 6 cannot import directly, as functions.
 *
 * Swift rejects C globals (stdscr, COLORS, COLOR_PAIRS, stdout) as not concurrency-safe and
 * does not import function-like or computed macros (A_BOLD, getmaxyx, BUTTON1_PRESSED,
 * KEY_F(n), LC_ALL). Plain integer macros (KEY_UP, KEY_RESIZE, KEY_CODE_YES, OK, ERR) import
 * as they are. Only NCursesBackend imports this module.
 */
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#ifndef NCURSES_WIDECHAR
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600; without this cchar_t and wget_wch vanish. */
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* ---- Start-up ---- */

/** setlocale(LC_ALL, ""): take the locale from the environment (before newterm), except
 *  LC_NUMERIC, kept "C" so C number formatting and parsing never expect a decimal comma. */
static inline void cnc_setlocale_from_environment(void) {
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
}

/** The character set of the current locale, e.g. "UTF-8" or "ANSI_X3.4-1968". */
static inline const char *cnc_codeset(void) { return nl_langinfo(CODESET); }

/** newterm(term, stdout, stdin); term NULL means $TERM. NULL when the terminal is unusable. */
static inline SCREEN *cnc_newterm(const char *term) { return newterm(term, stdout, stdin); }

/** newterm on /dev/null for both streams, `rows`×`cols`: the benchmark's screen, where ncurses
 *  does all its work (diffing, escape sequences) but nothing is shown. NULL on failure. */
static inline SCREEN *cnc_newterm_offscreen(const char *term, int rows, int cols) {
    FILE *out = fopen("/dev/null", "w");
    FILE *in = fopen("/dev/null", "r");
    if (!out || !in) { if (out) fclose(out); if (in) fclose(in); return NULL; }
    SCREEN *s = newterm(term, out, in);
    if (s) resize_term(rows, cols);
    return s;
}

/** Whether the current terminal can move the cursor (terminfo `cup`): without it (TERM=dumb, a
 *  printing terminal) a full-screen display is a stream of garbage. */
static inline int cnc_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/* ---- Globals ---- */

static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }

/** Rows and columns of a window. */
static inline void cnc_getmaxyx(WINDOW *w, int *rows, int *cols) {
    int y, x;
    getmaxyx(w, y, x);
    *rows = y;
    *cols = x;
}

/* ---- Attributes ---- */

static inline attr_t cnc_a_normal(void) { return A_NORMAL; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_italic(void) { return A_ITALIC; }

/* ---- Drawing ---- */

/**
 * Draws one cell at (y, x): `text` is a NUL-terminated spacing character followed by at most
 * CCHARW_MAX - 1 combining characters. The pair goes through setcchar's extended argument, so
 * pairs above 255 work (COLOR_PAIR(n) keeps only 8 bits). ERR at the bottom-right corner is
 * normal (the cursor cannot advance) and the cell is drawn anyway.
 */
static inline int cnc_put(WINDOW *w, int y, int x, const wchar_t *text, attr_t a, int pair) {
    cchar_t cc;
    if (setcchar(&cc, text, a, 0, &pair) == ERR) return ERR;
    return mvwadd_wch(w, y, x, &cc);
}

/** wcwidth(c): columns the locale gives c (-1 when it cannot print it). Declared here because
 * <wchar.h> hides it without _XOPEN_SOURCE. */
static inline int cnc_wcwidth(wchar_t c) {
    extern int wcwidth(wchar_t);
    return wcwidth(c);
}

/** The most wide characters one cell holds (spacing + combining). */
static inline int cnc_ccharw_max(void) { return CCHARW_MAX; }

/* ---- Keys and mouse ---- */

/** KEY_F(n), the code of function key n. */
static inline int cnc_key_f(int n) { return KEY_F(n); }

/** BUTTONn_PRESSED, BUTTONn_RELEASED, BUTTONn_CLICKED for button n (1-5; 4 and 5 are the wheel). */
static inline mmask_t cnc_button_pressed(int n) {
    return NCURSES_MOUSE_MASK(n, NCURSES_BUTTON_PRESSED);
}
static inline mmask_t cnc_button_released(int n) {
    return NCURSES_MOUSE_MASK(n, NCURSES_BUTTON_RELEASED);
}
static inline mmask_t cnc_button_clicked(int n) {
    return NCURSES_MOUSE_MASK(n, NCURSES_BUTTON_CLICKED);
}

/** REPORT_MOUSE_POSITION: the mouse moved (with a button held, in xterm's mode 1002). */
static inline mmask_t cnc_report_mouse_position(void) { return REPORT_MOUSE_POSITION; }

#endif
