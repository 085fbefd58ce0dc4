#!/usr/bin/env python3
"""Make the real-apps test's expected files with Django itself.

The apps are the wheels of wheels.txt (fetch.sh puts them in
target/real-apps); this script makes target/real-apps/venv from them
(offline, no dependency resolution: the list is complete), then, inside
it, copies project/ to a scratch folder and runs Django's migrate there,
and writes beside this script:

- models.txt: every model `apps.get_models()` lists (label, module, table);
- schema.sql: every table and index migrate made (but django_migrations);
- db.sql: the migrated database's rows (content types, permissions, the
  default site), as INSERT statements, for ormsh to open the same data;
- session.txt: statements for each model (import, count, table and key,
  `_meta.get_fields()`, the SQL of a select, of values() and of a filter
  across each of its relations), and expected.txt, what Django printed.

Run: `python3 tests/real_apps/oracle.py` (a CPython 3.11, with network for
the first fetch). Run it twice; the outputs must not change.
"""
import contextlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
WORK = os.path.join(ROOT, 'target', 'real-apps')
sys.path.insert(0, os.path.join(ROOT, '..', 'shared', 'oracle'))


def outer():
    subprocess.run(['bash', os.path.join(HERE, 'fetch.sh'), WORK], check=True)
    venv = os.path.join(WORK, 'venv')
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
        wheels = sorted(os.path.join(WORK, 'wheels', w) for w in os.listdir(os.path.join(WORK, 'wheels')))
        subprocess.run([python, '-m', 'pip', 'install', '-q', '--no-deps', '--no-index', *wheels], check=True)
    subprocess.run([python, os.path.abspath(__file__), '--inner'], check=True)


def statements(apps):
    out = []
    for model in apps.get_models():
        opts = model._meta
        alias = f'{opts.app_label}_{model.__name__}'
        out.append(f'from {model.__module__} import {model.__name__} as {alias}')
        out.append(f'{alias}.objects.count()')
        out.append(f'{alias}._meta.db_table, {alias}._meta.pk.name')
        out.append(f'[f.name for f in {alias}._meta.get_fields()]')
        out.append(f'print({alias}.objects.all().query)')
        out.append(f'print({alias}.objects.values().query)')
        for f in opts.get_fields():
            if f.is_relation and not (f.many_to_one is None and f.one_to_many is None):
                out.append(f"print({alias}.objects.filter({f.name}__isnull=False).query)")
    return out


def transcript(lines, ns):
    from run_django import echo, split_statements
    out = []
    for chunk, code, err in split_statements('\n'.join(lines) + '\n'):
        out += echo(chunk)
        if err is not None:
            out.append(f'SyntaxError: {err.msg}')
            continue
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec(code, ns)
            except Exception as e:  # noqa: BLE001 - the transcript records it
                print(f'{type(e).__qualname__}: {e}')
        out += [line.rstrip() for line in buf.getvalue().splitlines()]
    return out


def write(name, text):
    with open(os.path.join(HERE, name), 'w') as f:
        f.write(text)


def inner():
    scratch = tempfile.mkdtemp(prefix='oracle-real-apps-')
    project = os.path.join(scratch, 'project')
    shutil.copytree(os.path.join(HERE, 'project'), project)
    os.chdir(project)
    sys.path.insert(0, project)
    os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'
    import django
    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    call_command('migrate', verbosity=0)
    models = [f'{m._meta.label} {m.__module__} {m._meta.db_table}' for m in apps.get_models()]
    write('models.txt', '\n'.join(models) + '\n')
    with connection.cursor() as c:
        c.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'django_migrations' "
                  "AND tbl_name != 'django_migrations' AND name NOT LIKE 'sqlite_%' ORDER BY type DESC, name")
        write('schema.sql', ''.join(sql + ';\n' for (sql,) in c.fetchall()))
    # guardian's post_migrate makes AnonymousUser with a random password
    # and the time: fixed, so that the files do not change between runs.
    with connection.cursor() as c:
        c.execute("UPDATE auth_user SET password = '!', date_joined = '2024-01-01 00:00:00' "
                  "WHERE username = 'AnonymousUser'")
    db = str(connection.settings_dict['NAME'])
    rows = sqlite3.connect(db)
    dump = [line for line in rows.iterdump()
            if line.startswith('INSERT INTO') and not line.startswith('INSERT INTO "django_migrations"')
            and not line.startswith('INSERT INTO "sqlite_sequence"')]
    rows.close()
    write('db.sql', '\n'.join(dump) + '\n')
    lines = statements(apps)
    write('session.txt', '\n'.join(lines) + '\n')
    write('expected.txt', '\n'.join(transcript(lines, {'__name__': '__console__'})) + '\n')
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__':
    inner() if sys.argv[1:] == ['--inner'] else outer()
