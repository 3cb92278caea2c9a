// libedit (Debian: libedit-dev) through its readline-compatible header; never GNU readline's.
#include <stdio.h>
#include <editline/readline.h>
