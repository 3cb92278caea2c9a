#ifndef LAIF_SUPPORT_H
#define LAIF_SUPPORT_H

// Small C shims that Swift cannot express safely: an async-signal-safe interrupt flag.
//
// Ctrl-C only sets a flag (as Lua's lua.c does); long computations poll it at safe points
// (loop iterations, training steps) and stop there, so no value is ever left half-updated.

/// Installs a SIGINT handler that sets the interrupt flag. When `exit_on_double` is non-zero,
/// a second SIGINT within one second of the first ends the process with status 130.
void laif_install_sigint_handler(int exit_on_double);

/// Restores the default SIGINT disposition.
void laif_restore_sigint_default(void);

/// Non-zero when an interrupt was requested and not yet cleared.
int laif_interrupt_pending(void);

/// Clears a pending interrupt (call before starting a new evaluation).
void laif_interrupt_clear(void);

/// Requests an interrupt as if Ctrl-C had been pressed (for tests and embedders).
void laif_interrupt_request(void);

// The numeric kernels and the line editor's helpers have their own headers; including
// them here also makes module caches built before they existed notice the change (an
// umbrella directory's new files alone do not).
#include "laif_kernels.h"
#include "laif_editing_signals.h"
#include "laif_character_width.h"
#include "laif_byte_search.h"

#endif
