-- from_5.sql - schema version 5 to 6: a value may carry a short comment ("村委会换届后
-- 人数待核实"), kept with each candidate, the value shown and its audit row; and the
-- audit trail also records a conflict's decision taken back on the conflicts screen
-- ('undone': old_value the decided value, new_value the one shown again). SQLite cannot change a CHECK in place,
-- so the table is made anew and its rows copied, ids and all. Run in one transaction by
-- src/store/store.c.

CREATE TABLE audit_v6 (
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

INSERT INTO audit_v6 (id, at, unit, period, form, field, old_value, new_value, by_operator, installation, reason, source)
  SELECT id, at, unit, period, form, field, old_value, new_value, by_operator, installation, reason, source FROM audit;
DROP TABLE audit;
ALTER TABLE audit_v6 RENAME TO audit;
CREATE INDEX audit_by_unit ON audit (unit, at);

ALTER TABLE vals ADD COLUMN comment TEXT;
ALTER TABLE candidates ADD COLUMN comment TEXT;
