-- from_2.sql - schema version 2 to 3: form states travel between installations.
-- Each state remembers the installation that set it (the order of states breaks ties of
-- time with it). Run in one transaction by src/store/store.c.

ALTER TABLE form_state ADD COLUMN installation TEXT NOT NULL DEFAULT '';

-- States set here so far: this installation's.
UPDATE form_state SET installation = (SELECT value FROM meta WHERE key = 'installation_id');

-- Before version 3 a merge put every form it changed in progress with the time of the
-- merge and the clerk's name, which would now count as a state set here later than any
-- the reporting unit sends. Such a state becomes what a merge now makes of a file
-- without states: in progress as of the form's latest value, by whoever wrote it.
UPDATE form_state SET (changed_at, changed_by, installation) = (
    SELECT v.updated_at, v.updated_by, v.installation FROM vals v
    WHERE v.unit = form_state.unit AND v.period = form_state.period AND v.form = form_state.form
    ORDER BY v.updated_at DESC, v.installation DESC LIMIT 1)
  WHERE state = 'progress'
    AND EXISTS (SELECT 1 FROM merges m WHERE m.merged_at = form_state.changed_at AND m.merged_by = form_state.changed_by)
    AND EXISTS (SELECT 1 FROM vals v WHERE v.unit = form_state.unit AND v.period = form_state.period AND v.form = form_state.form);
