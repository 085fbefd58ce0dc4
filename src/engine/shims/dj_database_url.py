# dj-database-url, as settings files call it: a database URL to Django's
# DATABASES entry. ormsh opens SQLite only; other engines are named so
# that the error can say which.
import os
import _ormsh

SCHEMES = {
    'sqlite': 'django.db.backends.sqlite3',
    'spatialite': 'django.contrib.gis.db.backends.spatialite',
    'postgres': 'django.db.backends.postgresql',
    'postgresql': 'django.db.backends.postgresql',
    'pgsql': 'django.db.backends.postgresql',
    'postgis': 'django.contrib.gis.db.backends.postgis',
    'mysql': 'django.db.backends.mysql',
    'mysql2': 'django.db.backends.mysql',
    'oracle': 'django.db.backends.oracle',
}


def parse(url, engine=None, conn_max_age=0, conn_health_checks=False, ssl_require=False, test_options=None, **kwargs):
    if url == 'sqlite://:memory:' or url == 'sqlite://':
        return {'ENGINE': SCHEMES['sqlite'], 'NAME': ':memory:'}
    scheme, sep, rest = url.partition('://')
    if not sep:
        raise ValueError(f'No support for {url!r}. We support: ' + ', '.join(sorted(SCHEMES)))
    if scheme not in SCHEMES and engine is None:
        raise ValueError(f'No support for {scheme!r}. We support: ' + ', '.join(sorted(SCHEMES)))
    if scheme in ('sqlite', 'spatialite'):
        name = rest.partition('?')[0]
        if name.startswith('/'):
            name = name[1:]
        return {'ENGINE': engine or SCHEMES[scheme], 'NAME': name or ':memory:'}
    auth, _, location = rest.rpartition('@')
    user, _, password = auth.partition(':')
    hostport, _, path = location.partition('/')
    host, _, port = hostport.partition(':')
    return {
        'ENGINE': engine or SCHEMES[scheme],
        'NAME': path.partition('?')[0],
        'USER': user,
        'PASSWORD': password,
        'HOST': host,
        'PORT': port,
    }


def config(env='DATABASE_URL', default=None, engine=None, conn_max_age=0, conn_health_checks=False, ssl_require=False, test_options=None):
    url = os.environ.get(env)
    if url is None:
        if default is None:
            return {}
        _ormsh.note(f'{env} is not set; dj_database_url uses its default {default!r}')
        url = default
    return parse(url, engine)
