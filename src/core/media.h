/* media.h - the USB sticks and other removable disks mounted now, where exports go and
 * imports come from. */
#ifndef TIANBAO_MEDIA_H
#define TIANBAO_MEDIA_H

/* The folders where USB sticks and other removable disks are mounted now: mount points
 * under /media, /run/media and /mnt (from /proc/self/mountinfo). $TIANBAO_MEDIA, a list
 * of folders separated by ':', replaces the search (for unusual set-ups, and tests).
 * *dirs is an array of malloc'd paths; free with exchange_free_list. */
void exchange_find_media(char ***dirs, int *n);
void exchange_free_list(char **list, int n);

#endif
