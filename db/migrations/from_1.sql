-- from_1.sql - schema version 1 to 2: the exchange between installations.
-- Adds per-installation candidates (filled from the values as they are), the merge log,
-- conflict flags and provenance. Run in one transaction by src/store/store.c.

ALTER TABLE vals ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1));
ALTER TABLE vals ADD COLUMN source INTEGER;
ALTER TABLE audit ADD COLUMN source INTEGER;

-- Reports read one period (and the one before) across all units.
CREATE INDEX vals_by_period ON vals (period);

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
  PRIMARY KEY (unit, period, field, installation)
) WITHOUT ROWID;

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

INSERT INTO candidates (unit, period, field, installation, form, value, revision, updated_at, updated_by)
  SELECT unit, period, field, installation, form, value, revision, updated_at, updated_by FROM vals;
