#ifndef LAIF_EDITING_SIGNALS_H
#define LAIF_EDITING_SIGNALS_H

// The signals that concern a line being edited: a window resize (SIGWINCH), Ctrl-Z (SIGTSTP)
// and `fg` (SIGCONT). libedit's own handlers would act inside the handler (and re-raise
// SIGINT, which the REPL's own handler must keep), so these handlers only set flags; the
// line editor's character reader takes the flags between keys and does the work there.

/// Installs the flag-only handlers (no SA_RESTART, so a blocking read returns EINTR and the
/// reader sees the event at once) and clears stale flags. A signal the process ignores stays
/// ignored. Call right before reading a line.
void laif_editing_signals_install(void);

/// Puts the handlers back as they were before `laif_editing_signals_install`. A Ctrl-Z that
/// came after the reader's last key is not lost: the process stops here (the line editor has
/// already given the terminal back). Call right after reading a line.
void laif_editing_signals_restore(void);

/// Non-zero once per window resize since the last call.
int laif_window_resized_take(void);

/// Non-zero once per Ctrl-Z (SIGTSTP) since the last call.
int laif_suspend_requested_take(void);

/// Non-zero once per SIGCONT (`fg`, `bg`, `kill -CONT`) since the last call.
int laif_continued_take(void);

/// Stops the process as SIGTSTP's previous disposition would (by default: stopped until
/// `fg`), then reinstalls the flag handler. Returns once the process runs again.
void laif_suspend_self(void);

#endif
