# django-environ's Env, as settings files call it: variables from the
# environment (and a .env file read with read_env), cast as environ casts
# them, falling back to the given default with a note.
import os
import _ormsh
from dj_database_url import parse as _parse_db_url


class ImproperlyConfigured(Exception):
    pass


class NoValue:
    pass


NOTSET = NoValue()
TRUE_VALUES = ('true', 'on', 'ok', 'y', 'yes', '1')


def _cast(value, cast):
    if cast is None or value is None:
        return value
    if cast is bool:
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in TRUE_VALUES
    if cast is list:
        if isinstance(value, list):
            return value
        return [v for v in str(value).split(',') if v]
    if cast is tuple:
        if isinstance(value, tuple):
            return value
        return tuple(v for v in str(value).strip('()').split(',') if v)
    return cast(value)


class Env:
    def __init__(self, **scheme):
        self.scheme = scheme

    def __call__(self, var, cast=None, default=NOTSET, parse_default=False):
        return self.get_value(var, cast=cast, default=default, parse_default=parse_default)

    def get_value(self, var, cast=None, default=NOTSET, parse_default=False):
        if var in self.scheme:
            spec = self.scheme[var]
            if isinstance(spec, tuple):
                if cast is None:
                    cast = spec[0]
                if default is NOTSET and len(spec) > 1:
                    default = spec[1]
            elif cast is None:
                cast = spec
        value = os.environ.get(var, NOTSET)
        if value is NOTSET:
            if default is NOTSET:
                raise ImproperlyConfigured(f'Set the {var} environment variable')
            _ormsh.note(f'{var} is not set; environ uses its default {default!r}')
            if not parse_default:
                return default
            value = default
        return _cast(value, cast)

    def str(self, var, default=NOTSET, multiline=False):
        return self.get_value(var, cast=str, default=default)

    def bool(self, var, default=NOTSET):
        return self.get_value(var, cast=bool, default=default)

    def int(self, var, default=NOTSET):
        return self.get_value(var, cast=int, default=default)

    def float(self, var, default=NOTSET):
        return self.get_value(var, cast=float, default=default)

    def list(self, var, cast=None, default=NOTSET):
        return self.get_value(var, cast=list, default=default)

    def tuple(self, var, cast=None, default=NOTSET):
        return self.get_value(var, cast=tuple, default=default)

    def path(self, var, default=NOTSET, **kwargs):
        return self.get_value(var, default=default)

    def db_url(self, var='DATABASE_URL', default=NOTSET, engine=None):
        return _parse_db_url(self.get_value(var, default=default), engine)

    db = db_url

    def read_env(*args, **overrides):
        # Called on the class or an instance: Env.read_env(path) or env.read_env(path).
        paths = [a for a in args if not isinstance(a, Env)]
        path = paths[0] if paths else overrides.pop('env_file', None)
        for key, value in _ormsh.read_env_file(path).items():
            os.environ.setdefault(key, value)
        for key, value in overrides.items():
            os.environ.setdefault(key, str(value))
        return True
