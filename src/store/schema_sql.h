/* schema_sql.h - the SQL of db/ built into the binary (build/gen/schema_sql.c is made
 * by the Makefile from db/schema.sql, db/migrations/from_N.sql, db/export.sql,
 * db/export_v1.sql and db/export_v2.sql). */
#ifndef TIANBAO_SCHEMA_SQL_H
#define TIANBAO_SCHEMA_SQL_H

/* The whole schema of a new database. */
extern const char schema_sql[];
/* schema_migrations[N-1] takes a database from schema version N to N+1. */
extern const char *const schema_migrations[];
extern const int schema_migration_count;
/* The whole schema of an export file (.tbx) as written now. */
extern const char export_sql[];
/* The schemas of export files of export versions 1 and 2, for reading such files. */
extern const char export_v1_sql[];
extern const char export_v2_sql[];

#endif
