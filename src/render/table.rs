//! Tables for people (comfy-table): a queryset as a grid with a footer, an
//! instance as a record with its relations, a dict as pairs. Numbers are
//! right-aligned, None is dimmed, long text is cut with an ellipsis so a
//! row stays one line, and a grid too wide for the terminal turns vertical
//! (one field a line), as pgcli's auto-expand does.

use crate::engine::{Cell, Footer, Grid, Record, View};
use comfy_table::{
    Attribute, Cell as TCell, CellAlignment, Color, ContentArrangement, Table, presets,
};

#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    pub color: bool,
    /// The terminal's width; None when there is none to fit (a pipe).
    pub width: Option<u16>,
}

/// Text from the database with its control characters shown as escapes:
/// a stored `\x1b]0;…` must not retitle the terminal or clear it.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() && (c as u32) < 0x100 => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The view as text, ending without a newline.
pub fn render_view(view: &View, o: &TableOptions) -> String {
    match view {
        View::Plain(text) => visible(text).into_owned(),
        View::Grid(g) => grid(g, o),
        View::Record(r) => record(r, o),
        View::Pairs(pairs) => pairs_table(pairs, o).to_string(),
    }
}

fn new_table(o: &TableOptions) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_truncation_indicator("…");
    if o.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    match o.width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

fn styled(cell: &Cell, o: &TableOptions) -> TCell {
    let c = TCell::new(visible(&cell_text(cell)));
    let c = match cell {
        Cell::Number(_) => c.set_alignment(CellAlignment::Right),
        _ => c,
    };
    if !o.color {
        return c;
    }
    match cell {
        Cell::Null => c.add_attribute(Attribute::Dim),
        Cell::Number(_) => c.fg(Color::Cyan),
        Cell::Bool(_) => c.fg(Color::Magenta),
        Cell::Relation { .. } => c.fg(Color::Blue),
        Cell::Text(_) | Cell::Related { .. } => c,
        Cell::Invalid(..) => c.fg(Color::Red),
    }
}

fn header(name: &str, o: &TableOptions) -> TCell {
    let c = TCell::new(visible(name));
    if o.color {
        c.add_attribute(Attribute::Bold)
    } else {
        c
    }
}

fn dim(text: &str, o: &TableOptions) -> String {
    if o.color {
        nu_ansi_term::Style::new().dimmed().paint(text).to_string()
    } else {
        text.to_string()
    }
}

fn footer(g: &Grid, o: &TableOptions) -> String {
    let mut text = g.footer.as_ref().map(footer_text).unwrap_or_default();
    // What a marked cell holds, and what Django says of it, once per column.
    let mut seen = Vec::new();
    for row in &g.rows {
        for (column, cell) in g.columns.iter().zip(row) {
            if let Cell::Invalid(raw, error) = cell
                && !seen.contains(column)
            {
                seen.push(column.clone());
                text.push_str(&format!(
                    "\n⚠ {column}: the database holds {raw}, which the field cannot hold ({error})"
                ));
            }
        }
    }
    if g.more > 0 {
        text.push_str(&format!(
            "\n… {} more (.limit N shows more, .limit 0 all)",
            thousands(g.more)
        ));
    }
    dim(&text, o)
}

fn grid(g: &Grid, o: &TableOptions) -> String {
    if g.rows.is_empty() {
        return footer(g, o);
    }
    if let Some(w) = o.width
        && too_wide(g, w)
    {
        return format!("{}\n{}", vertical(g, o), footer(g, o));
    }
    let mut t = new_table(o);
    t.set_header(g.columns.iter().map(|c| header(c, o)));
    for row in &g.rows {
        t.add_row(row.iter().map(|c| styled(c, o)));
    }
    // Cut, never wrap: a row stays one line.
    for row in t.row_iter_mut() {
        row.max_height(1);
    }
    // A column of numbers is right-aligned, header too.
    for (i, col) in t.column_iter_mut().enumerate() {
        let numeric = g
            .rows
            .iter()
            .all(|r| matches!(r.get(i), Some(Cell::Number(_) | Cell::Null)));
        if numeric {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!("{t}\n{}", footer(g, o))
}

/// Wider than the terminal even with every column cut to its name (or 8
/// characters): one field a line reads better.
fn too_wide(g: &Grid, width: u16) -> bool {
    let natural: usize = (0..g.columns.len())
        .map(|i| {
            g.rows
                .iter()
                .map(|r| r.get(i).map_or(0, |c| cell_text(c).chars().count()))
                .chain([g.columns[i].chars().count()])
                .max()
                .unwrap_or(0)
                .min(g.columns[i].chars().count().max(8))
                + 3
        })
        .sum();
    natural + 1 > width as usize
}

/// `-[ RECORD 1 ]-` then `name │ value` lines, as pgcli's expanded output.
fn vertical(g: &Grid, o: &TableOptions) -> String {
    let name_width = g
        .columns
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let room = o
        .width
        .map(|w| (w as usize).saturating_sub(name_width + 3).max(8));
    let mut out = Vec::new();
    for (n, row) in g.rows.iter().enumerate() {
        out.push(dim(&format!("-[ RECORD {} ]-", n + 1), o));
        for (name, cell) in g.columns.iter().zip(row) {
            let mut text = visible(&cell_text(cell)).into_owned();
            if let Some(room) = room
                && text.chars().count() > room
            {
                text = text.chars().take(room - 1).collect::<String>() + "…";
            }
            let shown = if o.color && *cell == Cell::Null {
                dim(&text, o)
            } else {
                text
            };
            let name = format!("{name:<name_width$}");
            let name = if o.color {
                nu_ansi_term::Style::new().bold().paint(name).to_string()
            } else {
                name
            };
            out.push(format!("{name} │ {shown}"));
        }
    }
    out.join("\n")
}

fn pairs_table(pairs: &[(String, Cell)], o: &TableOptions) -> Table {
    let mut t = new_table(o);
    for (k, v) in pairs {
        t.add_row(vec![header(k, o), styled(v, o)]);
    }
    for row in t.row_iter_mut() {
        row.max_height(1);
    }
    t
}

fn record(r: &Record, o: &TableOptions) -> String {
    let title = if o.color {
        nu_ansi_term::Style::new()
            .bold()
            .paint(visible(&record_title(r)))
            .to_string()
    } else {
        visible(&record_title(r)).into_owned()
    };
    let mut out = format!("{title}\n{}", pairs_table(&r.fields, o));
    if !r.related.is_empty() {
        out.push_str(&format!(
            "\n{}\n{}",
            dim("Related", o),
            pairs_table(&r.related, o)
        ));
    }
    out
}

/// A cell's text: a related object as `Electronics (1)`, a relation's
/// count as `3 · author.books.all()`.
pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => "None".into(),
        Cell::Bool(b) => if *b { "True" } else { "False" }.into(),
        Cell::Number(t) | Cell::Text(t) => t.clone(),
        // Django's default `Model object (pk)` names its key already.
        Cell::Relation { label, pk } if label.ends_with(&format!("({pk})")) => label.clone(),
        Cell::Relation { label, pk } => format!("{label} ({pk})"),
        Cell::Related { count, access } => format!("{} · {access}", thousands(*count)),
        Cell::Invalid(raw, _) => format!("⚠ {raw}"),
    }
}

/// `Book · 3 rows`, `Book · 20 of 1,204 rows`.
fn footer_text(f: &Footer) -> String {
    let noun = if f.total == 1 { "row" } else { "rows" };
    if f.shown < f.total {
        let (shown, total) = (thousands(f.shown), thousands(f.total));
        format!("{} · {shown} of {total} {noun}", f.model)
    } else {
        format!("{} · {} {noun}", f.model, thousands(f.total))
    }
}

/// `Book 3 · Dune`: the model, the key and the object's `__str__`.
fn record_title(r: &Record) -> String {
    format!("{} {} · {}", r.model, r.pk, r.label)
}

/// `1,204`
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
