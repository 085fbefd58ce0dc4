//! Django's contrib apps ormsh carries (contenttypes, auth, admin,
//! sessions, sites, flatpages, redirects), as
//! Django 5.2 declares them, read by the same loader: a models.py that
//! imports `User` or subclasses `AbstractUser` gets Django's exact fields,
//! and their tables Django's exact DDL.

use super::FieldKind;
use super::loader::{ModelSource, PendingModel, Shared, load_file};

/// The models as Django declares them (field order as in `User._meta.fields`).
const CONTENTTYPES: &str = r#"
from django.db import models
import _ormsh

class ContentTypeManager(models.Manager):
    def get_for_model(self, model, for_concrete_model=True):
        app_label, name = _ormsh.model_key(model, for_concrete_model)
        return self.get_or_create(app_label=app_label, model=name)[0]

    def get_for_models(self, *models, for_concrete_models=True):
        return {m: self.get_for_model(m, for_concrete_models) for m in models}

    def get_for_id(self, id):
        return self.get(pk=id)


class ContentType(models.Model):
    app_label = models.CharField(max_length=100)
    model = models.CharField('python model class name', max_length=100)

    objects = ContentTypeManager()

    class Meta:
        verbose_name = 'content type'
        verbose_name_plural = 'content types'
        db_table = 'django_content_type'
        unique_together = [['app_label', 'model']]

    def __str__(self):
        return _ormsh.content_type_name(self.app_label, self.model)
"#;

const AUTH: &str = r#"
from django.db import models
from django.utils import timezone
from django.contrib.contenttypes.models import ContentType

class Permission(models.Model):
    name = models.CharField(max_length=255)
    content_type = models.ForeignKey(ContentType, models.CASCADE, verbose_name='content type')
    codename = models.CharField(max_length=100)

    class Meta:
        verbose_name = 'permission'
        verbose_name_plural = 'permissions'
        unique_together = [['content_type', 'codename']]
        ordering = ['content_type__app_label', 'content_type__model', 'codename']

    def __str__(self):
        return '%s | %s' % (self.content_type, self.name)

class Group(models.Model):
    name = models.CharField(max_length=150, unique=True)
    permissions = models.ManyToManyField(Permission, blank=True)

    class Meta:
        verbose_name = 'group'
        verbose_name_plural = 'groups'

    def __str__(self):
        return self.name

class AbstractBaseUser(models.Model):
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(blank=True, null=True)

    class Meta:
        abstract = True

class PermissionsMixin(models.Model):
    is_superuser = models.BooleanField(default=False)
    groups = models.ManyToManyField(Group, blank=True, related_name='user_set', related_query_name='user')
    user_permissions = models.ManyToManyField(Permission, blank=True, related_name='user_set', related_query_name='user')

    class Meta:
        abstract = True

class AbstractUser(AbstractBaseUser, PermissionsMixin):
    username = models.CharField(max_length=150, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = 'user'
        verbose_name_plural = 'users'

    def __str__(self):
        return self.username

class User(AbstractUser):
    class Meta(AbstractUser.Meta):
        swappable = 'AUTH_USER_MODEL'
"#;

const SESSIONS: &str = r#"
from django.db import models

class Session(models.Model):
    session_key = models.CharField('session key', max_length=40, primary_key=True)
    session_data = models.TextField('session data')
    expire_date = models.DateTimeField('expire date', db_index=True)

    class Meta:
        verbose_name = 'session'
        verbose_name_plural = 'sessions'
        db_table = 'django_session'

    def __str__(self):
        return self.session_key
"#;

const ADMIN: &str = r#"
import json
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

ADDITION = 1
CHANGE = 2
DELETION = 3

ACTION_FLAG_CHOICES = [
    (ADDITION, 'Addition'),
    (CHANGE, 'Change'),
    (DELETION, 'Deletion'),
]


def get_text_list(items, last_word):
    if not items:
        return ''
    if len(items) == 1:
        return str(items[0])
    return '%s %s %s' % (', '.join(str(i) for i in items[:-1]), last_word, items[-1])


def _change_message(text):
    if not (text and text[0] == '['):
        return text
    try:
        entries = json.loads(text)
    except ValueError:
        return text
    messages = []
    for sub in entries:
        if 'added' in sub:
            if sub['added']:
                messages.append('Added {name} “{object}”.'.format(**sub['added']))
            else:
                messages.append('Added.')
        elif 'changed' in sub:
            changed = dict(sub['changed'])
            changed['fields'] = get_text_list(changed['fields'], 'and')
            if 'name' in changed:
                messages.append('Changed {fields} for {name} “{object}”.'.format(**changed))
            else:
                messages.append('Changed {fields}.'.format(**changed))
        elif 'deleted' in sub:
            messages.append('Deleted {name} “{object}”.'.format(**sub['deleted']))
    joined = ' '.join(m[0].upper() + m[1:] for m in messages)
    return joined or 'No fields changed.'


class LogEntry(models.Model):
    action_time = models.DateTimeField('action time', default=timezone.now, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name='user')
    content_type = models.ForeignKey(ContentType, models.SET_NULL, verbose_name='content type', blank=True, null=True)
    object_id = models.TextField('object id', blank=True, null=True)
    object_repr = models.CharField('object repr', max_length=200)
    action_flag = models.PositiveSmallIntegerField('action flag', choices=ACTION_FLAG_CHOICES)
    change_message = models.TextField('change message', blank=True)

    class Meta:
        verbose_name = 'log entry'
        verbose_name_plural = 'log entries'
        db_table = 'django_admin_log'
        ordering = ['-action_time']

    def get_change_message(self):
        return _change_message(self.change_message)

    def is_addition(self):
        return self.action_flag == ADDITION

    def is_change(self):
        return self.action_flag == CHANGE

    def is_deletion(self):
        return self.action_flag == DELETION

    def __repr__(self):
        return str(self.action_time)

    def __str__(self):
        return ('Added “%s”.' % self.object_repr if self.action_flag == ADDITION else 'Changed “%s” — %s' % (self.object_repr, _change_message(self.change_message)) if self.action_flag == CHANGE else 'Deleted “%s.”' % self.object_repr if self.action_flag == DELETION else 'LogEntry Object')
"#;

const SITES: &str = r#"
from django.db import models

class SiteManager(models.Manager):
    def get_by_natural_key(self, domain):
        return self.get(domain=domain)

class Site(models.Model):
    domain = models.CharField('domain name', max_length=100, unique=True)
    name = models.CharField('display name', max_length=50)

    objects = SiteManager()

    class Meta:
        db_table = 'django_site'
        verbose_name = 'site'
        verbose_name_plural = 'sites'
        ordering = ['domain']

    def __str__(self):
        return self.domain

    def natural_key(self):
        return (self.domain,)
"#;

const FLATPAGES: &str = r#"
from django.db import models
from django.contrib.sites.models import Site

class FlatPage(models.Model):
    url = models.CharField('URL', max_length=100, db_index=True)
    title = models.CharField('title', max_length=200)
    content = models.TextField('content', blank=True)
    enable_comments = models.BooleanField('enable comments', default=False)
    template_name = models.CharField('template name', max_length=70, blank=True)
    registration_required = models.BooleanField('registration required', default=False)
    sites = models.ManyToManyField(Site, verbose_name='sites')

    class Meta:
        db_table = 'django_flatpage'
        verbose_name = 'flat page'
        verbose_name_plural = 'flat pages'
        ordering = ['url']

    def __str__(self):
        return '%s -- %s' % (self.url, self.title)
"#;

const REDIRECTS: &str = r#"
from django.db import models
from django.contrib.sites.models import Site

class Redirect(models.Model):
    site = models.ForeignKey(Site, models.CASCADE, verbose_name='site')
    old_path = models.CharField('redirect from', max_length=200, db_index=True)
    new_path = models.CharField('redirect to', max_length=200, blank=True)

    class Meta:
        verbose_name = 'redirect'
        verbose_name_plural = 'redirects'
        db_table = 'django_redirect'
        unique_together = [['site', 'old_path']]
        ordering = ['old_path']

    def __str__(self):
        return '%s ---> %s' % (self.old_path, self.new_path)
"#;

/// Columns whose place in the table comes from a contrib app's migration
/// history, not from its model (admin's 0002 re-made `action_time`, which
/// moved it last).
pub(super) const COLUMN_ORDERS: &[(&str, &[&str])] = &[
    (
        "django_admin_log",
        &[
            "id",
            "object_id",
            "object_repr",
            "action_flag",
            "change_message",
            "content_type",
            "user",
            "action_time",
        ],
    ),
    // sites' 0001 made `name` first; redirects' CreateModel keeps `site`.
    ("django_site", &["id", "name", "domain"]),
    ("django_redirect", &["id", "site", "old_path", "new_path"]),
];

/// A contrib app ormsh carries: its label, its AppConfig's verbose_name,
/// its dotted name in INSTALLED_APPS and its models, in the order Django
/// imports them (contenttypes before auth, which relates to it).
pub struct BuiltIn {
    pub label: &'static str,
    pub name: &'static str,
    pub verbose_name: &'static str,
    text: &'static str,
}

pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        label: "contenttypes",
        name: "django.contrib.contenttypes",
        verbose_name: "Content Types",
        text: CONTENTTYPES,
    },
    BuiltIn {
        label: "auth",
        name: "django.contrib.auth",
        verbose_name: "Authentication and Authorization",
        text: AUTH,
    },
    BuiltIn {
        label: "admin",
        name: "django.contrib.admin",
        verbose_name: "Administration",
        text: ADMIN,
    },
    BuiltIn {
        label: "sessions",
        name: "django.contrib.sessions",
        verbose_name: "Sessions",
        text: SESSIONS,
    },
    BuiltIn {
        label: "sites",
        name: "django.contrib.sites",
        verbose_name: "Sites",
        text: SITES,
    },
    BuiltIn {
        label: "flatpages",
        name: "django.contrib.flatpages",
        verbose_name: "Flat Pages",
        text: FLATPAGES,
    },
    BuiltIn {
        label: "redirects",
        name: "django.contrib.redirects",
        verbose_name: "Redirects",
        text: REDIRECTS,
    },
];

/// One built-in app's models, and the module code their defaults need.
pub(super) fn models(
    app: &BuiltIn,
    shared: &mut Shared,
) -> (Vec<PendingModel>, Vec<crate::syntax::ast::Stmt>) {
    let source = ModelSource {
        app_label: app.label.into(),
        path: None,
        text: app.text.into(),
        default_auto_field: FieldKind::AutoField,
    };
    let (models, _, module) = load_file(&source, &mut Vec::new(), shared);
    (models, module)
}

/// What Django 5.2's migrations leave in sqlite_master for these tables;
/// `auth_user`'s column order is the fruit of its migration history.
pub(super) fn ddl(table: &str) -> Option<&'static [&'static str]> {
    Some(match table {
        "auth_group" => &[
            r#"CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE)"#,
        ],
        "auth_user" => &[
            r#"CREATE TABLE "auth_user" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "username" varchar(150) NOT NULL UNIQUE, "last_name" varchar(150) NOT NULL, "email" varchar(254) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "first_name" varchar(150) NOT NULL)"#,
        ],
        "auth_user_groups" => &[
            r#"CREATE TABLE "auth_user_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "user_id" integer NOT NULL REFERENCES "auth_user" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED)"#,
            r#"CREATE INDEX "auth_user_groups_group_id_97559544" ON "auth_user_groups" ("group_id")"#,
            r#"CREATE INDEX "auth_user_groups_user_id_6a12ed8b" ON "auth_user_groups" ("user_id")"#,
            r#"CREATE UNIQUE INDEX "auth_user_groups_user_id_group_id_94350c0c_uniq" ON "auth_user_groups" ("user_id", "group_id")"#,
        ],
        "auth_permission" => &[
            r#"CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL)"#,
            r#"CREATE INDEX "auth_permission_content_type_id_2f476e4b" ON "auth_permission" ("content_type_id")"#,
            r#"CREATE UNIQUE INDEX "auth_permission_content_type_id_codename_01ab375a_uniq" ON "auth_permission" ("content_type_id", "codename")"#,
        ],
        "django_content_type" => &[
            r#"CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL)"#,
            r#"CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model")"#,
        ],
        _ => return None,
    })
}
