/* package_sql.h - the schema of a form package, built into the binary
 * (build/gen/package_sql.c is made by the Makefile from db/package.sql). */
#ifndef TIANBAO_PACKAGE_SQL_H
#define TIANBAO_PACKAGE_SQL_H

/* The whole schema of a form package (.tbp) as written now. */
extern const char package_sql[];

#endif
