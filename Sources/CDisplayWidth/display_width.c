#define _XOPEN_SOURCE 700
#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include "display_width.h"

int lc_wcwidth(unsigned int scalar) {
    return wcwidth((wchar_t)scalar);
}

int lc_use_utf8_ctype(void) {
    const char *set = setlocale(LC_CTYPE, "");
    if (set == NULL || strcmp(nl_langinfo(CODESET), "UTF-8") != 0) {
        setlocale(LC_CTYPE, "C.UTF-8");
    }
    return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}
