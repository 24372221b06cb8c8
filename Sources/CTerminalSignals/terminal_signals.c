/* Why C: a signal handler must be a plain C function touching only async-signal-safe state. */
#include "terminal_signals.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile int winch_fd = -1;
static struct sigaction previous;

static void on_winch(int sig) {
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) {
            siginfo_t info;
            memset(&info, 0, sizeof info);
            info.si_signo = sig;
            previous.sa_sigaction(sig, &info, NULL);
        }
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN && previous.sa_handler != NULL) {
        previous.sa_handler(sig);
    }
    if (winch_fd >= 0) {
        char byte = 1;
        ssize_t ignored = write(winch_fd, &byte, 1);
        (void)ignored;
    }
}

int lc_chain_winch(int fd) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_winch;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    winch_fd = fd;
    return sigaction(SIGWINCH, &action, &previous);
}
