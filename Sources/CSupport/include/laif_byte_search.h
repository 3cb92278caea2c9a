#ifndef LAIF_BYTE_SEARCH_H
#define LAIF_BYTE_SEARCH_H

#include <stddef.h>

/// The offset of the first occurrence of `needle` in `haystack`, or -1 when there is none.
/// glibc's memmem (a GNU extension Swift's Glibc module does not show) runs in time linear in
/// both lengths, where trying each position costs their product.
///
///     laif_find_bytes("abcabd", 6, "abd", 3)   // 3
long laif_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
