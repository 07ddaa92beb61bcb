-- schema.sql - the tianbao database, built into the binary (see src/store/store.c).
--
-- This file is the one source of truth for a new database. An older database is brought
-- up to this version by the scripts in db/migrations/ (from_N.sql takes version N to
-- N+1), each run in one transaction after a backup copy is made.
--
-- application_id 0x54424442 is "TBDB"; a file with any other id is not ours.

PRAGMA application_id = 1413628994;
PRAGMA user_version = 6;

-- Settings of this installation: installation_id (random, made once), created_at,
-- unit (which unit it reports for, set by `tianbao init`), operator, units_hash, and
-- what the screens remember (last_unit, last_period).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- The township, its villages and departments, copied from the units file.
CREATE TABLE units (
  code   TEXT PRIMARY KEY NOT NULL,
  name   TEXT NOT NULL,
  kind   TEXT NOT NULL CHECK (kind IN ('township', 'village', 'department')),
  parent TEXT,
  role   TEXT
) WITHOUT ROWID;

-- One value per unit, period and field code: the value shown and reported. A cleared
-- value stays as a row with a NULL value, so that clearing travels to the township like
-- any other change. installation and revision say which candidate (below) it is;
-- conflict is 1 while candidates disagree and the clerk has not decided; source is the
-- merged file it came from (NULL when typed here); comment is the candidate's comment
-- on the value (NULL: none; schema version 6).
CREATE TABLE vals (
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  field        TEXT NOT NULL,
  form         TEXT NOT NULL,
  value        TEXT,
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  installation TEXT NOT NULL,
  revision     INTEGER NOT NULL CHECK (revision > 0),
  conflict     INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
  source       INTEGER,
  comment      TEXT,
  PRIMARY KEY (unit, period, field)
) WITHOUT ROWID;

-- Reports read one period (and the one before) across all units.
CREATE INDEX vals_by_period ON vals (period);

-- For each value, the latest revision known from each installation that wrote it (this
-- one included). Merging keeps the higher revision per installation, so the result never
-- depends on the order files arrive in. A decision (typing here, or resolving a
-- conflict) marks the other installations' candidates superseded; a later revision from
-- one of them is new information and counts again.
CREATE TABLE candidates (
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  field        TEXT NOT NULL,
  installation TEXT NOT NULL,
  form         TEXT NOT NULL,
  value        TEXT,
  revision     INTEGER NOT NULL CHECK (revision > 0),
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL,
  source       INTEGER,
  superseded   INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1)),
  comment      TEXT,
  PRIMARY KEY (unit, period, field, installation)
) WITHOUT ROWID;

-- Every file merged: what it was, where it came from, what it changed.
CREATE TABLE merges (
  id             INTEGER PRIMARY KEY,
  checksum       TEXT NOT NULL UNIQUE,
  file_name      TEXT NOT NULL,
  installation   TEXT NOT NULL,
  source_units   TEXT NOT NULL,
  exported_by    TEXT NOT NULL,
  exported_at    TEXT NOT NULL,
  merged_at      TEXT NOT NULL,
  merged_by      TEXT NOT NULL,
  n_new          INTEGER NOT NULL,
  n_updated      INTEGER NOT NULL,
  n_unchanged    INTEGER NOT NULL,
  n_conflicts    INTEGER NOT NULL
);

-- The state of each form for a unit and period. No row means empty (未填). Set here
-- (typing a value puts the form in progress, `complete` completes it) or merged from
-- files: the row is the latest state known, by changed_at, then the one set at this
-- installation, then the greater installation id (the installation that set it; the
-- order of src/store/latest.c), then 'complete' before 'progress',
-- then the greater changed_by - so merging never depends on the order files arrive in
-- (docs/exchange.md). A state set here is never older than the one it replaces. What
-- is shown counts a complete form with a value in conflict as in progress.
CREATE TABLE form_state (
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  form         TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('progress', 'complete')),
  changed_at   TEXT NOT NULL,
  changed_by   TEXT NOT NULL,
  installation TEXT NOT NULL,
  PRIMARY KEY (unit, period, form)
) WITHOUT ROWID;

-- Every change, never updated or deleted: values (field set), form states (field
-- empty, the state in old_value/new_value) and the unit this installation reports for
-- (reason 'unit_set'; unit the new one, period, form and field empty, the old unit in
-- old_value: schema version 5). 'undone' is a decision taken back on the conflicts
-- screen before anything else changed the value (schema version 6). source is the
-- merged file, for imports. comment is the value's comment as written then (schema
-- version 6).
-- The reasons are checked with = and OR, not IN: SQLite builds a temporary index for an
-- IN list of more than two values on every insert, which made an audit row cost three
-- times a value (schema version 4; db/migrations/from_3.sql).
CREATE TABLE audit (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  unit         TEXT NOT NULL,
  period       TEXT NOT NULL,
  form         TEXT NOT NULL,
  field        TEXT NOT NULL,
  old_value    TEXT,
  new_value    TEXT,
  by_operator  TEXT NOT NULL,
  installation TEXT NOT NULL,
  reason       TEXT NOT NULL CHECK (reason = 'typed' OR reason = 'imported' OR reason = 'resolved' OR
                                    reason = 'completed' OR reason = 'reopened' OR reason = 'unit_set' OR
                                    reason = 'undone'),
  source       INTEGER,
  comment      TEXT
);

CREATE INDEX audit_by_unit ON audit (unit, at);
