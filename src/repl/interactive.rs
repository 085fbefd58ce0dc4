//! The interactive prompt: rustyline with `>>> ` and `... `, completion,
//! colours and hints (`helper.rs`), history kept per database across
//! sessions, and Ctrl-C: while typing it clears the line, while a
//! statement runs it cancels it (SQLite's interrupt and the interpreter's
//! own check) and the statement's savepoint leaves the database as it was.

use super::helper::ShellHelper;
use super::splitter::Splitter;
use crate::session::{Session, Stop};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{CompletionType, Config, Editor};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Where history lives: `$XDG_STATE_HOME/ormsh/` (by default under
/// `~/.local/state`), one file per database.
pub fn history_path(database: Option<&Path>) -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    let name = match database {
        Some(db) => {
            let full = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
            let stem = db
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let digest = <md5::Md5 as md5::Digest>::digest(full.to_string_lossy().as_bytes());
            let short: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
            format!("{stem}-{short}.history")
        }
        None => "memory.history".to_string(),
    };
    Some(state.join("ormsh").join(name))
}

pub fn run_interactive(
    session: &mut Session,
    banner: &str,
    database: Option<&Path>,
    color: bool,
) -> Result<bool, Stop> {
    let config = Config::builder()
        .completion_type(CompletionType::List)
        .auto_add_history(false)
        .build();
    let mut editor: Editor<ShellHelper, DefaultHistory> = Editor::with_config(config)
        .map_err(|e| Stop::Fatal(format!("cannot start the line editor: {e}")))?;
    let names = Rc::new(RefCell::new(session.names()));
    editor.set_helper(Some(ShellHelper {
        registry: session.registry(),
        names: names.clone(),
        color,
    }));
    let history = history_path(database);
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    // While a statement runs the terminal sends SIGINT for Ctrl-C: stop the
    // statement, not the shell. (At the prompt rustyline reads the key.)
    let handle = session.database().interrupt_handle();
    let _ = ctrlc::set_handler(move || {
        crate::limits::request_interrupt();
        handle.interrupt();
    });
    println!("{banner}");
    let mut splitter = Splitter::default();
    let mut all_ok = true;
    loop {
        let prompt = if splitter.in_statement() {
            "... "
        } else {
            ">>> "
        };
        match editor.readline(prompt) {
            // A bracketed paste (or a recalled block) arrives as several lines.
            Ok(text) => {
                let statements: Vec<_> = text.split('\n').flat_map(|l| splitter.push(l)).collect();
                for mut statement in statements {
                    let _ = editor.add_history_entry(statement.echo_lines(true).join("\n"));
                    // At the prompt, an error's line counts within its statement.
                    statement.first_line = 1;
                    crate::limits::clear_interrupt();
                    match session.run(&statement) {
                        Ok(ok) => all_ok &= ok,
                        Err(Stop::Quit) => {
                            save_history(&mut editor, history.as_deref());
                            return Ok(all_ok);
                        }
                        Err(exit @ Stop::Exit(_)) => {
                            save_history(&mut editor, history.as_deref());
                            return Err(exit);
                        }
                        Err(other) => return Err(other),
                    }
                    *names.borrow_mut() = session.names();
                }
            }
            Err(ReadlineError::Interrupted) => {
                splitter.reset();
                eprintln!("KeyboardInterrupt");
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(Stop::Fatal(format!("cannot read input: {e}"))),
        }
    }
    save_history(&mut editor, history.as_deref());
    Ok(all_ok)
}

fn save_history(editor: &mut Editor<ShellHelper, DefaultHistory>, path: Option<&Path>) {
    if let Some(path) = path {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(path);
    }
}
