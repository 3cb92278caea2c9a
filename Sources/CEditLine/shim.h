// libedit (Debian: libedit-dev) through its native API, histedit.h. Its readline-compatible
// layer is deliberately not included: in libedit 3.1-20221030 that layer's rl_line_buffer
// dangles once a line passes 1,024 bytes, and every later Tab or redraw wrote into freed
// memory. The native API hands out the line only on request (el_wline), so nothing dangles.
//
// el_set, el_get and history are variadic, which Swift cannot call; each use laif makes of
// them gets a typed wrapper here.
#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

typedef char *(*laif_prompt_function)(EditLine *);
typedef int (*laif_read_function)(EditLine *, wchar_t *);
typedef unsigned char (*laif_key_function)(EditLine *, int);

static inline int laif_el_set_prompt(EditLine *el, laif_prompt_function prompt) {
    return el_set(el, EL_PROMPT, prompt);
}

static inline int laif_el_set_reader(EditLine *el, laif_read_function reader) {
    return el_set(el, EL_GETCFN, reader);
}

static inline int laif_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int laif_el_set_edit_mode(EditLine *el, int on) {
    return el_set(el, EL_EDITMODE, on);
}

static inline int laif_el_set_signal_handling(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

static inline int laif_el_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *laif_el_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

static inline int laif_el_set_history(EditLine *el, History *list) {
    return el_set(el, EL_HIST, history, list);
}

/// Registers `function` as the editor command `name` and binds `key` (libedit's key notation:
/// "^I" for Tab, "\\e[1~" for an escape sequence) to it.
static inline int laif_el_add_command(EditLine *el, const char *name, const char *help, laif_key_function function) {
    return el_set(el, EL_ADDFN, name, help, function);
}

static inline int laif_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

/// Binds `key` in vi's command mode (vi's insert mode and emacs use `laif_el_bind`).
static inline int laif_el_bind_command_mode(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, "-a", key, command, NULL);
}

/// Whether the keys are vi's (`bind -v` in ~/.editrc) rather than emacs'.
static inline int laif_el_uses_vi_keys(EditLine *el) {
    const char *name = NULL;
    if (el_get(el, EL_EDITOR, &name) != 0 || name == NULL) return 0;
    return name[0] == 'v' && name[1] == 'i' && name[2] == '\0';
}

/// 1: the terminal in libedit's editing mode; 0: back in the mode it had before.
static inline int laif_el_prepare_terminal(EditLine *el, int editing) {
    return el_set(el, EL_PREP_TERM, editing);
}

static inline int laif_el_refresh(EditLine *el) {
    return el_set(el, EL_REFRESH);
}

/// The screen size libedit draws for (after el_resize): rows and columns.
static inline void laif_el_screen_size(EditLine *el, int *rows, int *columns) {
    if (el_get(el, EL_GETTC, "li", rows) != 0) *rows = 24;
    if (el_get(el, EL_GETTC, "co", columns) != 0) *columns = 80;
}

static inline History *laif_history_open(int limit) {
    History *list = history_init();
    HistEvent event;
    if (list != NULL) history(list, &event, H_SETSIZE, limit);
    return list;
}

static inline int laif_history_enter(History *list, const char *entry) {
    HistEvent event;
    return history(list, &event, H_ENTER, entry);
}

/// The newest entry (`first` 1), or the one older than the last returned (`first` 0); NULL
/// past the oldest.
static inline const char *laif_history_step(History *list, int first) {
    HistEvent event;
    if (history(list, &event, first ? H_FIRST : H_NEXT) != 0) return NULL;
    return event.str;
}

/// Entries written to the file at `path`, or -1 (errno says why).
static inline int laif_history_save(History *list, const char *path) {
    HistEvent event;
    return history(list, &event, H_SAVE, path);
}

static inline void laif_history_clear(History *list) {
    HistEvent event;
    history(list, &event, H_CLEAR);
}

