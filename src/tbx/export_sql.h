/* export_sql.h - the schemas of export files, built into the binary (build/gen/export_sql.c
 * is made by the Makefile from db/export.sql and db/export_v1.sql to db/export_v3.sql). */
#ifndef TIANBAO_EXPORT_SQL_H
#define TIANBAO_EXPORT_SQL_H

/* The whole schema of an export file (.tbx) as written now. */
extern const char export_sql[];
/* The schemas of export files of export versions 1 to 3, for reading such files. */
extern const char export_v1_sql[];
extern const char export_v2_sql[];
extern const char export_v3_sql[];

#endif
