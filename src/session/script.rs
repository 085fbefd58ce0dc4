//! The script runner: a file, `-c` code or piped stdin, statement by
//! statement.

use super::{Session, Stop};
use crate::syntax::splitter;
use std::io::{BufRead, Read};

/// Runs a script (a file, `-c` code or piped stdin) statement by statement.
/// Returns whether every statement succeeded.
pub fn run_script(session: &mut Session, mut input: impl BufRead) -> Result<bool, Stop> {
    let mut splitter = splitter::Splitter::default();
    let mut all_ok = true;
    while let Some(line) = read_line(&mut input)? {
        for statement in splitter.push(&line) {
            all_ok &= session.run(&statement)?;
        }
    }
    for statement in splitter.finish() {
        all_ok &= session.run(&statement)?;
    }
    Ok(all_ok)
}

/// The longest line a script may have (`ormsh < /dev/zero` is no script).
const MAX_LINE_BYTES: u64 = 16 << 20;

fn read_line(input: &mut impl BufRead) -> Result<Option<String>, Stop> {
    let mut bytes = Vec::new();
    let n = (&mut *input)
        .take(MAX_LINE_BYTES + 1)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| Stop::Fatal(format!("cannot read input: {e}")))?;
    if n == 0 {
        return Ok(None);
    }
    if bytes.len() as u64 > MAX_LINE_BYTES {
        return Err(Stop::Fatal(format!(
            "cannot read input: a line is longer than {} MiB, too long for a script",
            MAX_LINE_BYTES >> 20
        )));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Stop::Fatal("cannot read input: it is not UTF-8 text".to_string()))
}
