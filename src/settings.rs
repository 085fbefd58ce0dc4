//! The project settings every layer follows, as Django's `settings` object:
//! `USE_TZ` and `TIME_ZONE` (from the project's settings.py, `--settings
//! FILE`, or Django's defaults with `USE_TZ = False` for a bare database),
//! and the warnings Django would print while a statement runs.

use std::cell::RefCell;

#[derive(Clone, Debug, PartialEq)]
pub struct TimeSettings {
    pub use_tz: bool,
    pub time_zone: String,
}

impl Default for TimeSettings {
    fn default() -> Self {
        TimeSettings {
            use_tz: false,
            time_zone: "America/Chicago".into(),
        }
    }
}

thread_local! {
    static TIME: RefCell<TimeSettings> = RefCell::new(TimeSettings::default());
    static WARNINGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Sets the settings for the session (once, before it starts).
pub fn configure(settings: TimeSettings) {
    TIME.with(|t| *t.borrow_mut() = settings);
}

pub fn time() -> TimeSettings {
    TIME.with(|t| t.borrow().clone())
}

pub fn use_tz() -> bool {
    TIME.with(|t| t.borrow().use_tz)
}

/// A warning as Python's `warnings` module prints it: `Category: message`.
pub fn warn(category: &str, message: &str) {
    WARNINGS.with(|w| w.borrow_mut().push(format!("{category}: {message}")));
}

/// The warnings raised since the last call, for the session to print.
pub fn take_warnings() -> Vec<String> {
    WARNINGS.with(|w| std::mem::take(&mut *w.borrow_mut()))
}
