#!/usr/bin/env python3
"""gen_township.py FORMS_DIR YEARS... > data.sql

SQL that fills a tianbao database (made by `tianbao init`) with every input field of
every form for every unit of the units file, for each year given, the way years of
typing would leave it: values, candidates, form states, and three audit rows per value.
Only for benchmarks: values are plausible numbers, not checked against every rule.
"""
import glob
import random
import re
import sys

forms_dir, years = sys.argv[1], sys.argv[2:]
random.seed(42)
installation = "b" * 32

def sections(path):
    cur = None
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            cur = {"_name": m.group(1)}
            out.append(cur)
        elif cur is not None and "=" in line and not line.startswith((";", "#")):
            k, v = line.split("=", 1)
            cur[k.strip()] = v.strip()
    return out

units = []
forms = []
for path in sorted(glob.glob(forms_dir + "/*.ini")):
    secs = sections(path)
    if any(s["_name"] == "form" for s in secs):
        head = [s for s in secs if s["_name"] == "form"][0]
        fields = [s for s in secs if s["_name"].startswith("field.") and "compute" not in s]
        forms.append((head["id"], head["reported_by"], fields))
    else:
        for s in secs:
            kind, _, code = s["_name"].partition(".")
            units.append((code, kind, s.get("role", "")))

def value(f):
    t = f.get("type", "integer")
    if t == "yesno":
        return str(random.randint(0, 1))
    if t == "text":
        return "'演示数据'"
    if t == "date":
        return "'2025-12-31'"
    if t == "choice":
        return f["choices"].split("=")[0].strip()
    lo, hi = 0, 500
    m = re.match(r"^(-?[\d.]*)\.\.(-?[\d.]*)$", f.get("range", "0..500"))
    if m:
        lo = float(m.group(1) or 0)
        hi = float(m.group(2) or lo + 500)
    return str(int(random.uniform(lo, min(hi, lo + 500))))

print("BEGIN;")
audit_id = 0
for year in years:
    for code, kind, role in units:
        for fid, by, fields in forms:
            if not ((kind == "village" and by == "village") or (kind == "department" and by == role)):
                continue
            for f in fields:
                field = f["_name"][6:]
                v = value(f)
                v = v if v.startswith("'") else "'" + v + "'"
                at = "'%s-12-31T10:00:00Z'" % year
                print("INSERT INTO vals VALUES ('%s','%s','%s','%s',%s,%s,'演示',"
                      "'%s',3,0,NULL);" % (code, year, field, fid, v, at, installation))
                print("INSERT INTO candidates VALUES ('%s','%s','%s','%s','%s',%s,3,%s,'演示',NULL,0);"
                      % (code, year, field, installation, fid, v, at))
                for rev in range(3):
                    print("INSERT INTO audit (at, unit, period, form, field, old_value, new_value, by_operator,"
                          " installation, reason) VALUES (%s,'%s','%s','%s','%s',NULL,%s,'演示','%s','typed');"
                          % (at, code, year, fid, field, v, installation))
            print("INSERT INTO form_state VALUES ('%s','%s','%s','complete','%s-12-31T11:00:00Z','演示','%s');"
                  % (code, year, fid, year, installation))
print("COMMIT;")
