mod error;
mod syntax;

/// Runs `f` on a thread whose stack is large enough for the deepest input the
/// grammar accepts (200 nested brackets) in a debug build.
pub fn with_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(f)
        .expect("a thread can be started")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

fn main() {}
