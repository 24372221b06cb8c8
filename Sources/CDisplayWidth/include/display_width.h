#ifndef LEADCONSOLE_DISPLAY_WIDTH_H
#define LEADCONSOLE_DISPLAY_WIDTH_H

/* glibc's wcwidth, which Swift does not import: the same function ncursesw uses to place wide
   characters, so the screen buffer and the terminal agree on every cell. */
int lc_wcwidth(unsigned int scalar);

/* Switches LC_CTYPE to a UTF-8 locale (the environment's, else C.UTF-8); wcwidth answers -1 for
   everything outside ASCII until it is. Returns 1 when the codeset is UTF-8. */
int lc_use_utf8_ctype(void);

#endif
