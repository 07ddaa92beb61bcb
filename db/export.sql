-- export.sql - a tianbao export file (.tbx): one installation's data on its way to the
-- township (or from the township to the county). Built into the binary (see
-- src/tbx/write.c, src/tbx/read.c).
--
-- An import compares every row of the file's sqlite_schema (type, name, tbl_name, sql)
-- with what this script makes in an empty database, and refuses any difference: an
-- extra table, index, view, trigger or column. So any change here, even of spacing
-- inside a CREATE statement, is a new export version: raise user_version and keep
-- reading the old one (db/export_v1.sql to db/export_v3.sql are versions 1 to 3, kept
-- byte for byte for that).
--
-- Version 2 added form_states; version 3 added superseded (decisions travel); version 4
-- the comment on each candidate's value. The format and the merge rules:
-- docs/exchange.md.
--
-- application_id 0x54424558 is "TBEX" (a tianbao database is "TBDB").

PRAGMA application_id = 1413629272;
PRAGMA user_version = 4;

-- What the file is, as key/value text: export_version, program_version, installation,
-- installation_unit, operator, written_at, units, periods, value_count, checksum (over
-- the values and the form states) and manifest_checksum (over this table and forms).
-- See src/tbx/checksum.h.
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
-- a cleared value; comment (version 4) is the note written with it, NULL for none.
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
  comment      TEXT,
  PRIMARY KEY (unit, period, field, installation)
) WITHOUT ROWID;

-- (Version 3.) The candidates a decision set aside at the exporting installation or at
-- one it merged from: a value typed or a conflict resolved there sets aside the other
-- installations' candidates of that value, and so does an import of them (a later
-- revision from their installation counts again). The same columns as vals; a
-- (unit, period, field, installation) is in vals or here, never in both, and is here
-- only beside at least one row of vals of the same (unit, period, field).
CREATE TABLE superseded (
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  field        TEXT NOT NULL,
  installation TEXT NOT NULL,
  form         TEXT NOT NULL,
  value        TEXT,
  revision     INTEGER NOT NULL,
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  comment      TEXT,
  PRIMARY KEY (unit, period, field, installation)
) WITHOUT ROWID;

-- The state of each form the file has values of (unit, period and form), as the
-- exporting installation keeps it: 'progress' or 'complete', when, by whom, and the
-- installation that set it (its own, or at a township the one it merged it from). A
-- form with values and no row here has no state there (an import then takes it as in
-- progress as of its latest value).
CREATE TABLE form_states (
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  form         TEXT NOT NULL,
  state        TEXT NOT NULL,
  changed_at   TEXT NOT NULL,
  changed_by   TEXT NOT NULL,
  installation TEXT NOT NULL,
  PRIMARY KEY (unit, period, form)
) WITHOUT ROWID;
