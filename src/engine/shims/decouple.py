# python-decouple's config, as settings files call it: a variable from the
# environment, else the project's .env, else the default (with a note).
import os
import _ormsh


class UndefinedValueError(Exception):
    pass


class Undefined:
    pass


undefined = Undefined()
_FILE = _ormsh.read_env_file(None)


def _bool(value):
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ('y', 'yes', 't', 'true', 'on', '1'):
        return True
    if text in ('n', 'no', 'f', 'false', 'off', '0', ''):
        return False
    raise ValueError(f'Invalid truth value: {text}')


def config(option, default=undefined, cast=undefined):
    if option in os.environ:
        value = os.environ[option]
    elif option in _FILE:
        value = _FILE[option]
    elif isinstance(default, Undefined):
        raise UndefinedValueError(f'{option} not found. Declare it as envvar or define a default value.')
    else:
        _ormsh.note(f'{option} is not set; decouple uses its default {default!r}')
        value = default
    if isinstance(cast, Undefined):
        return value
    if cast is bool:
        return _bool(value)
    return cast(value)


class Csv:
    def __init__(self, cast=str, delimiter=',', strip=' ', post_process=list):
        self.cast = cast
        self.delimiter = delimiter
        self.strip = strip
        self.post_process = post_process

    def __call__(self, value):
        if value is None:
            return self.post_process()
        parts = [p.strip(self.strip) for p in str(value).split(self.delimiter)]
        return self.post_process(self.cast(p) for p in parts if p)


class Choices:
    def __init__(self, flat=None, cast=str, choices=None):
        self.flat = flat or []
        self.cast = cast

    def __call__(self, value):
        v = self.cast(value)
        if self.flat and v not in self.flat:
            raise ValueError(f'Value not in list: {v!r}; valid values are {self.flat!r}')
        return v
