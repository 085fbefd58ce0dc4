//! What a SQLite file says about its tables: columns, keys, unique sets,
//! foreign keys, and Django's content types when it has them. Read with
//! PRAGMAs only; nothing is written.

use super::exec::sql_error;
use crate::error::Result;
use rusqlite::Connection;

pub use crate::schema::introspect::{ColumnInfo, ForeignKeyInfo, TableInfo};

/// Every table and view but SQLite's own.
pub fn tables(conn: &Connection) -> Result<Vec<TableInfo>> {
    let mut stmt = conn
        .prepare("SELECT name, type, coalesce(sql, '') FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .map_err(sql_error)?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(sql_error)?
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_error)?;
    rows.into_iter()
        .map(|(name, kind, sql)| table(conn, name, kind == "view", &sql))
        .collect()
}

fn table(conn: &Connection, name: String, is_view: bool, sql: &str) -> Result<TableInfo> {
    let mut stmt = conn
        .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1)")
        .map_err(sql_error)?;
    let upper_sql = sql.to_uppercase();
    let columns = stmt
        .query_map([&name], |r| {
            let name: String = r.get(0)?;
            Ok(ColumnInfo {
                has_json_check: upper_sql
                    .contains(&format!("JSON_VALID(\"{}\")", name.to_uppercase())),
                name,
                decl_type: r.get(1)?,
                not_null: r.get::<_, i64>(2)? != 0,
                pk: r.get(3)?,
            })
        })
        .map_err(sql_error)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql_error)?;
    let mut stmt = conn.prepare("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq").map_err(sql_error)?;
    let mut foreign_keys = stmt
        .query_map([&name], |r| {
            Ok(ForeignKeyInfo {
                column: r.get(0)?,
                table: r.get(1)?,
                to: r.get(2)?,
                on_delete: r.get(3)?,
            })
        })
        .map_err(sql_error)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql_error)?;
    // SQLite lists foreign keys last-declared first; keep the columns' order.
    foreign_keys.sort_by_key(|fk| columns.iter().position(|c| c.name == fk.column));
    Ok(TableInfo {
        unique: unique_sets(conn, &name)?,
        name,
        is_view,
        columns,
        foreign_keys,
        without_rowid: upper_sql.contains("WITHOUT ROWID"),
    })
}

fn unique_sets(conn: &Connection, table: &str) -> Result<Vec<Vec<String>>> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_index_list(?1) WHERE \"unique\" = 1")
        .map_err(sql_error)?;
    let indexes: Vec<String> = stmt
        .query_map([table], |r| r.get(0))
        .map_err(sql_error)?
        .collect::<std::result::Result<_, _>>()
        .map_err(sql_error)?;
    let mut out = Vec::new();
    for index in indexes {
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
            .map_err(sql_error)?;
        let cols: Vec<String> = stmt
            .query_map([&index], |r| r.get::<_, Option<String>>(0))
            .map_err(sql_error)?
            .filter_map(|c| c.ok().flatten())
            .collect();
        out.push(cols);
    }
    Ok(out)
}

/// `(app_label, model)` pairs of django_content_type, when the table exists.
pub fn content_types(conn: &Connection) -> Result<Option<Vec<(String, String)>>> {
    let exists: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_content_type'", [], |r| r.get(0))
        .map_err(sql_error)?;
    if exists == 0 {
        return Ok(None);
    }
    let mut stmt = conn
        .prepare("SELECT app_label, model FROM django_content_type ORDER BY id")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_error)?
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(sql_error)?;
    Ok(Some(rows))
}
