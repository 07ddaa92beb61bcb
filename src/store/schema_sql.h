/* schema_sql.h - the database's SQL built into the binary (build/gen/schema_sql.c is
 * made by the Makefile from db/schema.sql and db/migrations/from_N.sql). */
#ifndef TIANBAO_SCHEMA_SQL_H
#define TIANBAO_SCHEMA_SQL_H

/* The whole schema of a new database. */
extern const char schema_sql[];
/* schema_migrations[N-1] takes a database from schema version N to N+1. */
extern const char *const schema_migrations[];
extern const int schema_migration_count;

#endif
