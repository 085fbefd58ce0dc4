//! Django's field classes and how SQLite stores them
//! (`django/db/backends/sqlite3/base.py`: `data_types`, check constraints,
//! `AUTOINCREMENT`).

macro_rules! field_kinds {
    ($($kind:ident),* $(,)?) => {
        /// A Django field class.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum FieldKind { $($kind),* }

        impl FieldKind {
            pub fn from_class(name: &str) -> Option<FieldKind> {
                match name { $(stringify!($kind) => Some(FieldKind::$kind),)* _ => None }
            }

            /// The class name, as Django's messages spell it.
            pub fn class_name(self) -> &'static str {
                match self { $(FieldKind::$kind => stringify!($kind)),* }
            }
        }
    };
}

field_kinds! {
    AutoField, BigAutoField, SmallAutoField, CharField, TextField, SlugField, EmailField, URLField,
    UUIDField, GenericIPAddressField, IntegerField, BigIntegerField, SmallIntegerField,
    PositiveIntegerField, PositiveSmallIntegerField, PositiveBigIntegerField, FloatField,
    DecimalField, BooleanField, DateField, DateTimeField, TimeField, DurationField, JSONField,
    BinaryField, FileField, ImageField, FilePathField, ForeignKey, OneToOneField, ManyToManyField,
}

use FieldKind::*;

impl FieldKind {
    pub fn is_auto(self) -> bool {
        matches!(self, AutoField | BigAutoField | SmallAutoField)
    }

    /// ForeignKey and OneToOneField: a column holding another row's key.
    pub fn is_foreign_key(self) -> bool {
        matches!(self, ForeignKey | OneToOneField)
    }

    pub fn is_relation(self) -> bool {
        matches!(self, ForeignKey | OneToOneField | ManyToManyField)
    }

    /// The `max_length` a field class sets when none is given.
    pub fn default_max_length(self) -> Option<u32> {
        match self {
            EmailField => Some(254),
            URLField => Some(200),
            SlugField => Some(50),
            FileField | ImageField | FilePathField => Some(100),
            _ => None,
        }
    }

    /// The column type on SQLite; `max_length` fills `varchar(%s)`.
    pub fn db_type(self, max_length: Option<u32>) -> String {
        let varchar = || {
            format!(
                "varchar({})",
                max_length.map_or("None".to_string(), |n| n.to_string())
            )
        };
        match self {
            AutoField | BigAutoField | SmallAutoField | IntegerField | OneToOneField
            | ForeignKey => "integer".into(),
            BinaryField => "BLOB".into(),
            BooleanField => "bool".into(),
            // Django 5.2's SQLite backend: a CharField may have no length.
            CharField if max_length.is_none() => "varchar".into(),
            CharField | SlugField | EmailField | URLField | FileField | ImageField
            | FilePathField => varchar(),
            DateField => "date".into(),
            DateTimeField => "datetime".into(),
            DecimalField => "decimal".into(),
            DurationField | BigIntegerField => "bigint".into(),
            FloatField => "real".into(),
            GenericIPAddressField => "char(39)".into(),
            JSONField | TextField => "text".into(),
            PositiveBigIntegerField => "bigint unsigned".into(),
            PositiveIntegerField => "integer unsigned".into(),
            PositiveSmallIntegerField => "smallint unsigned".into(),
            SmallIntegerField => "smallint".into(),
            TimeField => "time".into(),
            UUIDField => "char(32)".into(),
            ManyToManyField => String::new(),
        }
    }

    /// The type of a ForeignKey column pointing at a field of this kind
    /// (Django's `rel_db_type`).
    pub fn rel_db_type(self, max_length: Option<u32>) -> String {
        match self {
            AutoField | PositiveIntegerField => "integer".into(),
            BigAutoField | PositiveBigIntegerField => "bigint".into(),
            SmallAutoField | PositiveSmallIntegerField => "smallint".into(),
            other => other.db_type(max_length),
        }
    }

    /// The CHECK constraint SQLite gets for the column, if any.
    pub fn check(self, column: &str) -> Option<String> {
        match self {
            PositiveBigIntegerField | PositiveIntegerField | PositiveSmallIntegerField => {
                Some(format!("\"{column}\" >= 0"))
            }
            JSONField => Some(format!(
                "(JSON_VALID(\"{column}\") OR \"{column}\" IS NULL)"
            )),
            _ => None,
        }
    }

    /// Integers, whose computed values Django passes through `int()`.
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            AutoField
                | BigAutoField
                | SmallAutoField
                | IntegerField
                | BigIntegerField
                | SmallIntegerField
                | PositiveIntegerField
                | PositiveSmallIntegerField
                | PositiveBigIntegerField
        )
    }

    /// Whether Django stores `''` for this field (and so `blank` strings).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            CharField
                | TextField
                | SlugField
                | EmailField
                | URLField
                | FileField
                | ImageField
                | FilePathField
                | GenericIPAddressField
        )
    }
}
