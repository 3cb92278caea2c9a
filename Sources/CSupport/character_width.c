#define _XOPEN_SOURCE 700 // wcwidth is an X/Open function
#include <wchar.h>

#include "laif_character_width.h"

int laif_character_width(unsigned int scalar) { return wcwidth((wchar_t)scalar); }
