-- export_v1.sql - export version 1, as tianbao 0.1.0 wrote it before form states travelled
-- (db/export.sql is the version written now). Never change it: an import compares a
-- version 1 file's schema with what this script makes, byte for byte. Built into the
-- binary (see src/tbx/schema.c).
--
-- What follows is db/export.sql of export version 1, unchanged.
--
-- export.sql - a tianbao export file (.tbx): one installation's data on its way to the
-- township (or from the township to the county). Built into the binary (see
-- src/tbx/write.c, src/tbx/read.c).
--
-- An import compares every row of the file's sqlite_schema (type, name, tbl_name, sql)
-- with what this script makes in an empty database, and refuses any difference: an
-- extra table, index, view, trigger or column. So any change here, even of spacing
-- inside a CREATE statement, is a new export version: raise user_version and keep
-- reading the old one.
--
-- application_id 0x54424558 is "TBEX" (a tianbao database is "TBDB").

PRAGMA application_id = 1413629272;
PRAGMA user_version = 1;

-- What the file is, as key/value text: export_version, program_version, installation,
-- installation_unit, operator, written_at, units, periods, value_count, checksum (over
-- the values) and manifest_checksum (over this table and forms). See src/tbx/checksum.h.
CREATE TABLE manifest (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Each form the values belong to, as the exporting installation had it.
CREATE TABLE forms (
  id      TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL,
  hash    TEXT NOT NULL
) WITHOUT ROWID;

-- The values: every active candidate of the exporting database (its own values, and at a
-- township what it merged, both sides of an open conflict included). value is NULL for
-- a cleared value.
CREATE TABLE vals (
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  field        TEXT NOT NULL,
  installation TEXT NOT NULL,
  form         TEXT NOT NULL,
  value        TEXT,
  revision     INTEGER NOT NULL,
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  PRIMARY KEY (unit, period, field, installation)
) WITHOUT ROWID;
