//! Long interactive output goes through `$PAGER` (default `less -SRXF`, so
//! output that fits on the screen is not paged), as psql and pgcli do.

use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

/// Stdout that, while a statement runs at the prompt, holds its output so
/// that it can be paged once the statement is done.
#[derive(Clone, Default)]
pub struct PagedStdout {
    held: Rc<RefCell<Option<Vec<u8>>>>,
}

impl PagedStdout {
    /// Holds what is written until `release`.
    pub fn hold(&self) {
        *self.held.borrow_mut() = Some(Vec::new());
    }

    /// Writes what was held: through the pager when it is longer than the
    /// screen, else to stdout.
    pub fn release(&self, rows: Option<u16>) -> std::io::Result<()> {
        let Some(text) = self.held.borrow_mut().take() else {
            return Ok(());
        };
        let lines = text.iter().filter(|b| **b == b'\n').count();
        if rows.is_some_and(|r| lines >= r as usize) && page(&text).is_ok() {
            return Ok(());
        }
        let mut out = std::io::stdout().lock();
        out.write_all(&text)?;
        out.flush()
    }
}

impl Write for PagedStdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.held.borrow_mut().as_mut() {
            Some(held) => {
                held.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => std::io::stdout().write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.held.borrow().as_ref() {
            Some(_) => Ok(()),
            None => std::io::stdout().flush(),
        }
    }
}

/// Runs the pager on `text` and waits for it.
fn page(text: &[u8]) -> std::io::Result<()> {
    let command = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -SRXF".to_string());
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("less");
    let mut child = std::process::Command::new(program)
        .args(words)
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit early (q in less): that is no error.
        let _ = stdin.write_all(text);
    }
    child.wait().map(|_| ())
}
