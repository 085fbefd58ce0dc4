//! `django.contrib.auth`'s User and Group, built in: a models.py importing
//! them gets Django's exact fields and tables.

use super::FieldKind;
use super::loader::{ModelSource, PendingModel, load_file};

/// The models as Django declares them (field order as in `User._meta.fields`).
const AUTH_MODELS: &str = r#"
from django.db import models
from django.utils import timezone

class Group(models.Model):
    name = models.CharField(max_length=150, unique=True)

    def __str__(self):
        return self.name

class User(models.Model):
    password = models.CharField(max_length=128)
    last_login = models.DateTimeField(blank=True, null=True)
    is_superuser = models.BooleanField(default=False)
    username = models.CharField(max_length=150, unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    groups = models.ManyToManyField(Group, blank=True, related_name='user_set', related_query_name='user')

    def __str__(self):
        return self.username
"#;

/// The auth models, and the module code their defaults need.
pub(super) fn models() -> (Vec<PendingModel>, Vec<crate::syntax::ast::Stmt>) {
    let source = ModelSource {
        app_label: "auth".into(),
        path: None,
        text: AUTH_MODELS.into(),
        default_auto_field: FieldKind::AutoField,
    };
    let (models, _, module) = load_file(&source, &mut Vec::new());
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
        _ => return None,
    })
}
