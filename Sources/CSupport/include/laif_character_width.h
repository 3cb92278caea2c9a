#ifndef LAIF_CHARACTER_WIDTH_H
#define LAIF_CHARACTER_WIDTH_H

/// The terminal cells the C library gives a character in the current locale (wcwidth(3)),
/// which is what libedit lays its line out by: 2 for wide characters, 0 for combining marks,
/// -1 for a character it cannot print. Swift's Glibc module does not declare wcwidth.
int laif_character_width(unsigned int scalar);

#endif
