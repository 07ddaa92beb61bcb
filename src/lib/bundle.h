/* bundle.h - the files a self-contained tianbao carries with it (make static).
 *
 * A statically linked binary cannot count on the computer's glibc locale files or
 * terminfo database being there or being of its own version: the folder it is copied in
 * (or DATADIR, where the .deb puts them) holds glibc's C.UTF-8 character data
 * (C.utf8/) and the entries of the common terminals (terminfo/). The computer's own
 * come first; these serve only when those are missing.
 */
#ifndef TIANBAO_BUNDLE_H
#define TIANBAO_BUNDLE_H

#include <stdbool.h>

/* The carried folder NAME beside the binary, else in DATADIR; NULL when neither has it. */
const char *bundle_find(const char *name);
/* Adds the carried terminfo/ after the computer's own terminfo folders (TERMINFO_DIRS),
 * unless TERMINFO names one folder to use. */
void bundle_use_terminfo(void);
/* Sets LC_CTYPE (and LC_MESSAGES) to the carried C.UTF-8; false when there is none or
 * it does not load. */
bool bundle_use_c_utf8(void);

#endif
