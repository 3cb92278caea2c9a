#include "laif_editing_signals.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>

static atomic_int window_resized = 0;
static atomic_int suspend_requested = 0;
static atomic_int continued = 0;

// The dispositions in force before install, and whether each was replaced (an ignored signal
// is left alone, as shells and GNU readline do).
static struct sigaction previous_winch, previous_tstp, previous_cont;
static int catching_winch = 0, catching_tstp = 0, catching_cont = 0;

// Async-signal-safe: a lock-free atomic store and nothing else.
static void on_editing_signal(int signo) {
    switch (signo) {
    case SIGWINCH: atomic_store(&window_resized, 1); break;
    case SIGTSTP: atomic_store(&suspend_requested, 1); break;
    case SIGCONT: atomic_store(&continued, 1); break;
    default: break;
    }
}

static int catch_signal(int signo, struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_editing_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: the reader's read() returns EINTR and sees the flag
    if (sigaction(signo, NULL, previous) != 0 || previous->sa_handler == SIG_IGN) return 0;
    return sigaction(signo, &action, NULL) == 0;
}

void laif_editing_signals_install(void) {
    atomic_store(&window_resized, 0);
    atomic_store(&suspend_requested, 0);
    atomic_store(&continued, 0);
    catching_winch = catch_signal(SIGWINCH, &previous_winch);
    catching_tstp = catch_signal(SIGTSTP, &previous_tstp);
    catching_cont = catch_signal(SIGCONT, &previous_cont);
}

void laif_editing_signals_restore(void) {
    if (catching_winch) sigaction(SIGWINCH, &previous_winch, NULL);
    if (catching_tstp) sigaction(SIGTSTP, &previous_tstp, NULL);
    if (catching_cont) sigaction(SIGCONT, &previous_cont, NULL);
    catching_winch = catching_tstp = catching_cont = 0;
    if (atomic_exchange(&suspend_requested, 0)) raise(SIGTSTP);
}

int laif_window_resized_take(void) { return atomic_exchange(&window_resized, 0); }

int laif_suspend_requested_take(void) { return atomic_exchange(&suspend_requested, 0); }

int laif_continued_take(void) { return atomic_exchange(&continued, 0); }

void laif_suspend_self(void) {
    if (!catching_tstp) { // SIGTSTP was ignored: raising it keeps it so
        raise(SIGTSTP);
        return;
    }
    struct sigaction ours;
    sigaction(SIGTSTP, &previous_tstp, &ours);
    raise(SIGTSTP); // by default the process stops inside this call until SIGCONT
    sigaction(SIGTSTP, &ours, NULL);
}
