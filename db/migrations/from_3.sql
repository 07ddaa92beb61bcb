-- from_3.sql - schema version 3 to 4: the audit trail's check of reasons without IN.
-- An IN list of more than two values in a CHECK made SQLite build a temporary index on
-- every insert into audit (40,000 instructions a row; a merge of 300 files spent a third
-- of its time there). SQLite cannot change a CHECK in place, so the table is made anew
-- and its rows copied, ids and all. Run in one transaction by src/store/store.c.

CREATE TABLE audit_v4 (
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
                                    reason = 'completed' OR reason = 'reopened'),
  source       INTEGER
);

INSERT INTO audit_v4 (id, at, unit, period, form, field, old_value, new_value, by_operator, installation, reason, source)
  SELECT id, at, unit, period, form, field, old_value, new_value, by_operator, installation, reason, source FROM audit;
DROP TABLE audit;
ALTER TABLE audit_v4 RENAME TO audit;
CREATE INDEX audit_by_unit ON audit (unit, at);
