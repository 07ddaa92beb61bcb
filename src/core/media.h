/* media.h - the USB sticks and other removable disks mounted now, where exports go and
 * imports come from. */
#ifndef TIANBAO_MEDIA_H
#define TIANBAO_MEDIA_H

#include <stddef.h>

/* The folders where USB sticks and other removable disks are mounted now (from
 * /proc/self/mountinfo and /sys): mount points under /media and /run/media, where udisks
 * mounts removable media, and any other whose disk the kernel calls removable or is on
 * the USB bus; never a system folder of the computer's own disks. $TIANBAO_MEDIA, a list
 * of folders separated by ':', replaces the search (for unusual set-ups, and tests).
 * *dirs is an array of malloc'd paths (found ones sorted, $TIANBAO_MEDIA's in its order);
 * free with exchange_free_list. */
void exchange_find_media(char ***dirs, int *n);
/* The same search on a given mountinfo file and sysfs folder (tests). */
void exchange_media_scan(const char *mountinfo, const char *sysfs, char ***dirs, int *n);
/* What a stick's line says beside its folder: its label (the folder's name, as udisks
 * names it) and its free space, "KINGSTON, 3.2 GB free". */
void exchange_media_note(const char *dir, char *buf, size_t size);
void exchange_free_list(char **list, int n);

#endif
