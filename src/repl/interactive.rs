//! The interactive prompt: rustyline with `>>> ` and `... `, history kept
//! across sessions.

use super::splitter::Splitter;
use crate::session::{Session, Stop};
use rustyline::DefaultEditor;
use rustyline::error::ReadlineError;
use std::path::PathBuf;

/// Where history lives: `$XDG_STATE_HOME/ormsh/history`, by default under
/// `~/.local/state`.
pub fn history_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ormsh").join("history"))
}

pub fn run_interactive(session: &mut Session, banner: &str) -> Result<bool, Stop> {
    let mut editor = DefaultEditor::new()
        .map_err(|e| Stop::Fatal(format!("cannot start the line editor: {e}")))?;
    let history = history_path();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
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
            // A bracketed paste arrives as several lines at once.
            Ok(text) => {
                for line in text.split('\n') {
                    if let Some(mut statement) = splitter.push(line) {
                        let _ = editor.add_history_entry(statement.echo_lines(true).join("\n"));
                        // At the prompt, an error's line counts within its statement.
                        statement.first_line = 1;
                        all_ok &= session.run(&statement)?;
                    }
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
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(path);
    }
    Ok(all_ok)
}
