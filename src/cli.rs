//! The command line.

use crate::render::Format;
use clap::Parser;
use std::path::PathBuf;

/// The Django shell's query language over a SQLite file.
#[derive(Parser, Debug)]
#[command(name = "ormsh", version, about)]
pub struct Cli {
    /// A Django project or app directory, a models.py, or a SQLite database.
    pub target: Option<PathBuf>,

    /// The SQLite database to open (created when missing; in memory when not given).
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,

    /// A models.py (or models/ package) to load (repeatable); its app is
    /// labelled by its AppConfig.label, else its folder's name.
    #[arg(long = "models", value_name = "FILE")]
    pub models: Vec<PathBuf>,

    /// A settings file to run instead of the project's settings module (as
    /// `manage.py --settings`).
    #[arg(long, value_name = "FILE")]
    pub settings: Option<PathBuf>,

    /// Where the project's third-party apps are installed (else
    /// $VIRTUAL_ENV's, or .venv/ or venv/ beside manage.py).
    #[arg(long = "site-packages", value_name = "DIR")]
    pub site_packages: Option<PathBuf>,

    /// Create the tables of the models that are missing from the database.
    #[arg(long)]
    pub migrate: bool,

    /// The primary-key class for apps that do not say (AutoField, BigAutoField, SmallAutoField).
    #[arg(long, value_name = "CLASS")]
    pub default_auto_field: Option<String>,

    /// Run CODE as a script and exit.
    #[arg(short = 'c', value_name = "CODE", conflicts_with = "file")]
    pub code: Option<String>,

    /// Run the statements of FILE and exit.
    #[arg(short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// How results are printed.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,

    /// Print each statement before it runs, as the Python console shows it.
    #[arg(long)]
    pub echo: bool,

    /// Stop at the first statement that fails.
    #[arg(long)]
    pub bail: bool,

    /// Open the database read-only: every write is refused.
    #[arg(long, conflicts_with_all = ["migrate", "sandbox"])]
    pub read_only: bool,

    /// Run the whole session in one transaction, rolled back on exit: try
    /// anything on a real database and leave it untouched.
    #[arg(long)]
    pub sandbox: bool,

    /// Show each SQL statement run, with its parameters and time (stderr).
    #[arg(long)]
    pub sql: bool,

    /// Show each statement's wall time (stderr).
    #[arg(long)]
    pub timer: bool,

    /// Never colour the output.
    #[arg(long)]
    pub no_color: bool,

    /// Show every problem met in installed packages' modules (else counted
    /// in one note).
    #[arg(long)]
    pub verbose: bool,

    /// The most memory values may hold (`512M`, `4G`; 0: no limit); past it
    /// a statement raises MemoryError. Default: a quarter of what the
    /// process can have.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory_limit: Option<usize>,
}

/// `4G`, `512M`, `100k` or plain bytes.
fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let scale: usize = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1 << 10,
        "m" | "mb" => 1 << 20,
        "g" | "gb" => 1 << 30,
        _ => return Err(format!("'{text}' is not a size (try 512M or 4G)")),
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("'{text}' is not a size (try 512M or 4G)"))
}
