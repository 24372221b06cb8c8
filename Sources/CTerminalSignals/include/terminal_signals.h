#ifndef LEADCONSOLE_TERMINAL_SIGNALS_H
#define LEADCONSOLE_TERMINAL_SIGNALS_H
/* SIGWINCH chained to the handler already installed (ncurses' own, which turns a resize into
   KEY_RESIZE), plus one byte written to `fd`, which wakes the console's wait for input. Call once,
   after newterm. Returns 0 on success. */
int lc_chain_winch(int fd);
#endif
