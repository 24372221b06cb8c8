#ifndef LEADCONSOLE_CNCURSES_SHIM_H
#define LEADCONSOLE_CNCURSES_SHIM_H
/* The only place that includes curses. Wide-character API on; accessors for the globals and
   macros Swift 6 cannot import or touch (stdscr, COLS, LINES, getmaxyx, attributes). */
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <ncursesw/term.h>

static inline WINDOW *lc_stdscr(void) { return stdscr; }
static inline int lc_lines(void) { return LINES; }
static inline int lc_cols(void) { return COLS; }
static inline attr_t lc_a_bold(void) { return A_BOLD; }
static inline attr_t lc_a_reverse(void) { return A_REVERSE; }
static inline attr_t lc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t lc_a_normal(void) { return A_NORMAL; }
static inline int lc_key_f(int n) { return KEY_F(n); }
static inline int lc_err(void) { return ERR; }
static inline int lc_key_code_yes(void) { return KEY_CODE_YES; }
static inline int lc_key_mouse(void) { return KEY_MOUSE; }

/* 1 when terminfo says Backspace sends DEL (^?): a ^H is then a distinct key (Ctrl-Backspace). */
static inline int lc_backspace_is_del(void) {
    const char *kbs = tigetstr((char *)"kbs");
    return kbs != NULL && kbs != (char *)-1 && strcmp(kbs, "\177") == 0;
}

/* ncurses' name for a key code ("KEY_SLEFT", "kLFT5"); NULL for none. */
static inline const char *lc_key_name(int code) { return keyname(code); }


/* The environment's locale for everything; 1 when its codeset is UTF-8. */
static inline int lc_use_locale_is_utf8(void) {
    if (setlocale(LC_ALL, "") == NULL) return 0;
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

/* Raw bytes to the terminal outside curses (bracketed paste on and off). */
static inline void lc_write_raw(const char *bytes) {
    fflush(stdout);
    ssize_t ignored = write(STDOUT_FILENO, bytes, strlen(bytes));
    (void)ignored;
}

/* newterm on the process's own terminal; NULL when TERM is unknown (no exit from inside). */
static inline SCREEN *lc_newterm(void) { return newterm(NULL, stdout, stdin); }

/* -1 when terminfo does not know the terminal, 0 when it cannot address the cursor (dumb),
   1 when it can. */
static inline int lc_has_cursor_addressing(const char *term) {
    int error = 0;
    if (setupterm((char *)term, STDOUT_FILENO, &error) != OK) return -1;
    const char *cup = tigetstr("cup");
    int ok = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return ok;
}

static inline int lc_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvadd_wch(y, x, &cell);
}

static inline int lc_put_text(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    attr_set(attrs, pair, NULL);
    int rc = mvaddwstr(y, x, text);
    attr_set(A_NORMAL, 0, NULL);
    return rc;
}

#endif
