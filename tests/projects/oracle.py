#!/usr/bin/env python3
"""Make a Django project's expected transcript with Django itself.

For each PROJECT folder (a Django project with manage.py) beside this
script, with PROJECT.data.py (statements that fill the database) and
PROJECT.session.txt (what a user types in `manage.py shell`):

- copies the project to a scratch folder, gives every app with models a
  migrations package, runs makemigrations and migrate as manage.py would;
- runs PROJECT.data.py, then keeps the database where the settings put it
  (the project's own DATABASES NAME, under the committed project folder);
- writes PROJECT.schema.sql (every table and index Django's migrate made)
  and PROJECT.expected.txt (the session as run_django.py transcribes it,
  in the namespace `manage.py shell` gives: every installed model).

Run with the oracle's venv: `$PY tests/projects/oracle.py mysite`. Run it
twice; the outputs must not change.
"""
import contextlib
import io
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', '..', 'shared', 'oracle'))
from run_django import echo, split_statements  # noqa: E402


def settings_module(project):
    with open(os.path.join(project, 'manage.py')) as f:
        return re.search(r"DJANGO_SETTINGS_MODULE['\"],\s*['\"]([^'\"]+)", f.read()).group(1)


def main(name):
    source = os.path.join(HERE, name)
    work = tempfile.mkdtemp(prefix='oracle-project-')
    project = os.path.join(work, name)
    shutil.copytree(source, project, ignore=shutil.ignore_patterns('data', '__pycache__'))
    for app in os.listdir(project):
        if os.path.exists(os.path.join(project, app, 'models.py')) or os.path.isdir(
                os.path.join(project, app, 'models')):
            os.makedirs(os.path.join(project, app, 'migrations'), exist_ok=True)
            open(os.path.join(project, app, 'migrations', '__init__.py'), 'w').close()
    os.makedirs(os.path.join(project, 'data'), exist_ok=True)
    os.chdir(project)
    sys.path.insert(0, project)
    os.environ['DJANGO_SETTINGS_MODULE'] = settings_module(project)
    import django
    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    call_command('makemigrations', verbosity=0)
    call_command('migrate', verbosity=0)
    ns = {'__name__': '__console__'}
    for model in apps.get_models():
        ns[model.__name__] = model
    with open(os.path.join(HERE, name + '.data.py')) as f:
        exec(compile(f.read(), name + '.data.py', 'exec'), dict(ns))
    with connection.cursor() as c:
        c.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type DESC, name")
        schema = ''.join(sql + ';\n' for (sql,) in c.fetchall())
    with open(os.path.join(HERE, name + '.schema.sql'), 'w') as f:
        f.write(schema)
    connection.close()
    db = connection.settings_dict['NAME']
    target = os.path.join(source, os.path.relpath(str(db), project))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copy(db, target)
    with open(os.path.join(HERE, name + '.session.txt')) as f:
        text = f.read()
    out = []
    for lines, code, err in split_statements(text):
        out += echo(lines)
        if err is not None:
            out.append(f'SyntaxError: {err.msg}')
            continue
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec(code, ns)
            except Exception as e:  # noqa: BLE001 - the transcript records it
                print(f'{type(e).__qualname__}: {e}')
        out += [l.rstrip() for l in buf.getvalue().splitlines()]
    with open(os.path.join(HERE, name + '.expected.txt'), 'w') as f:
        f.write('\n'.join(out) + '\n')
    shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main(sys.argv[1])
