#!/usr/bin/env python3
"""Write SCENARIO/schema_other.sql: the DDL Django's migrate makes for a
scenario's tables whose names do not start with the app label (Meta.db_table,
and their ManyToMany tables), which run_django.py's schema.sql leaves out.

usage: $DJVENV/bin/python tests/tools/dump_other_tables.py tests/conformance/NAME
"""
import os
import shutil
import sys
import tempfile

scenario = os.path.abspath(sys.argv[1])
label = os.path.basename(scenario)
work = tempfile.mkdtemp(prefix='other-tables-')
os.makedirs(os.path.join(work, label, 'migrations'))
open(os.path.join(work, label, '__init__.py'), 'w').close()
open(os.path.join(work, label, 'migrations', '__init__.py'), 'w').close()
shutil.copy(os.path.join(scenario, 'models.py'), os.path.join(work, label, 'models.py'))
sys.path.insert(0, work)

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    INSTALLED_APPS=['django.contrib.contenttypes', 'django.contrib.auth', label],
    DATABASES={'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': os.path.join(work, 'db.sqlite3')}},
    DEFAULT_AUTO_FIELD='django.db.models.AutoField',
    USE_TZ=False,
)
django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command('makemigrations', label, verbosity=0)
call_command('migrate', verbosity=0)
with connection.cursor() as c:
    c.execute("SELECT tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name")
    rows = [sql for tbl, sql in c.fetchall()
            if not tbl.startswith((label + '_', 'auth_', 'django_', 'sqlite_'))]
with open(os.path.join(scenario, 'schema_other.sql'), 'w') as f:
    f.write(''.join(sql + ';\n' for sql in rows))
shutil.rmtree(work, ignore_errors=True)
