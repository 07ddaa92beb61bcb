-- package.sql - a tianbao form package (.tbp): the township's form definitions and its
-- units file, carried to the villages on a USB stick. Built into the binary (see
-- src/tbx/package.c).
--
-- A reader compares every row of the file's sqlite_schema (type, name, tbl_name, sql)
-- with what this script makes in an empty database, and refuses any difference: an
-- extra table, index, view, trigger or column. So any change here, even of spacing
-- inside a CREATE statement, is a new package format version: raise user_version.
--
-- application_id 0x5442504B is "TBPK" (an export file is "TBEX", a database "TBDB").
-- The format: docs/exchange.md, "Form packages (.tbp)".

PRAGMA application_id = 1413632075;
PRAGMA user_version = 1;

-- What the package is, as key/value text: format_version, program_version,
-- township_code, township_name, package_version, written_at, written_by, file_count
-- and checksum (over this table but itself, then the files; see src/tbx/package.c).
CREATE TABLE manifest (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The INI files: the forms and units.ini, each as its bytes and their SHA-256 (hex).
CREATE TABLE files (
  name    TEXT PRIMARY KEY NOT NULL,
  content BLOB NOT NULL,
  sha256  TEXT NOT NULL
) WITHOUT ROWID;
