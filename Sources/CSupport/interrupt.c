#include "laif_support.h"

#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_int interrupt_flag = 0;
static volatile sig_atomic_t exit_on_double_press = 0;
static atomic_long last_press_ms = 0;

static long monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); // async-signal-safe per POSIX
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void on_sigint(int signo) {
    (void)signo;
    long now = monotonic_ms();
    long previous = atomic_exchange(&last_press_ms, now);
    if (exit_on_double_press && atomic_load(&interrupt_flag) && previous != 0 && now - previous < 1000) {
        static const char message[] = "\ninterrupted twice: exiting\n";
        (void)!write(STDERR_FILENO, message, sizeof message - 1);
        _exit(130);
    }
    atomic_store(&interrupt_flag, 1);
}

void laif_install_sigint_handler(int exit_on_double) {
    exit_on_double_press = exit_on_double ? 1 : 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: a blocking read returns EINTR so the REPL sees Ctrl-C
    sigaction(SIGINT, &action, NULL);
}

void laif_restore_sigint_default(void) { signal(SIGINT, SIG_DFL); }

int laif_interrupt_pending(void) { return atomic_load(&interrupt_flag); }

void laif_interrupt_clear(void) { atomic_store(&interrupt_flag, 0); }

void laif_interrupt_request(void) { atomic_store(&interrupt_flag, 1); }
