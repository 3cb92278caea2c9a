#define _GNU_SOURCE // memmem is a GNU extension
#include <string.h>

#include "laif_byte_search.h"

long laif_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    const char *hit = memmem(haystack, haystack_length, needle, needle_length);
    return hit ? (long)(hit - (const char *)haystack) : -1;
}
