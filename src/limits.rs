//! What a statement may take of the machine: how deep values and calls may
//! nest, and how much memory its values may hold.
//!
//! Python raises `RecursionError` and `MemoryError` where a native program
//! would overflow its stack or abort on a failed allocation. ormsh counts the
//! heap it holds (a counting global allocator) and the depth of its
//! recursive walks, and raises the same exceptions before either runs out.

use crate::error::{Error, Result};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Python's default recursion limit (`sys.getrecursionlimit()`).
pub const RECURSION_LIMIT: usize = 1000;

/// Python's compiler gives up on expressions nested deeper than this.
pub const COMPILE_DEPTH_LIMIT: usize = 2990;

/// Python's error for an expression nested past [`COMPILE_DEPTH_LIMIT`].
pub fn compile_depth_error() -> Error {
    Error::new(
        "RecursionError",
        "maximum recursion depth exceeded during compilation",
    )
}

/// The system allocator, counting the bytes live on the heap.
pub struct CountingAlloc;

static LIVE: AtomicUsize = AtomicUsize::new(0);
/// 0 until [`set_memory_limit`] runs: no limit.
static BUDGET: AtomicUsize = AtomicUsize::new(0);

/// Counts `size` bytes in when an allocation succeeded.
fn counted(ptr: *mut u8, size: usize) -> *mut u8 {
    if !ptr.is_null() {
        LIVE.fetch_add(size, Ordering::Relaxed);
    }
    ptr
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        counted(unsafe { System.alloc(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract is System's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        counted(unsafe { System.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is System's.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        // A failed realloc keeps the old block, and its count.
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        counted(moved, new_size)
    }
}

/// Caps what values may hold. `None` picks the default: a quarter of what
/// the process can have (physical memory, or its address-space limit less
/// what is mapped already), so that a growing list, even while it doubles,
/// stops with MemoryError before the system refuses an allocation.
pub fn set_memory_limit(bytes: Option<usize>) {
    let limit = bytes.or_else(default_memory_limit).unwrap_or(0);
    BUDGET.store(limit, Ordering::Relaxed);
}

fn default_memory_limit() -> Option<usize> {
    let total = meminfo_total();
    let address_space = address_space_left();
    let available = match (total, address_space) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    Some(available / 4)
}

/// MemTotal of /proc/meminfo, in bytes.
fn meminfo_total() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    kilobytes(line)
}

/// RLIMIT_AS (`ulimit -v`) less the address space mapped already.
fn address_space_left() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    let soft: usize = line.split_whitespace().nth(3)?.parse().ok()?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mapped = status
        .lines()
        .find(|l| l.starts_with("VmSize:"))
        .and_then(kilobytes)
        .unwrap_or(0);
    Some(soft.saturating_sub(mapped))
}

fn kilobytes(line: &str) -> Option<usize> {
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The bytes values may hold, if a limit is set.
pub fn memory_limit() -> Option<usize> {
    Some(BUDGET.load(Ordering::Relaxed)).filter(|&b| b > 0)
}

/// Python's MemoryError (its message is empty).
pub fn memory_error() -> Error {
    Error::new("MemoryError", "")
}

thread_local! {
    /// The heap when the running statement began.
    static AT_START: Cell<usize> = const { Cell::new(0) };
}

/// Marks the start of a statement at the prompt: what it may not do is
/// grow the heap past the limit, so a statement that frees memory (`del x`
/// after a MemoryError) always runs.
pub fn statement_starts() {
    AT_START.with(|s| s.set(LIVE.load(Ordering::Relaxed)));
}

/// MemoryError once the heap holds more than the limit and more than when
/// the statement began, and the end of a statement past its deadline;
/// called where work grows an item at a time (each step of an iteration,
/// each statement).
pub fn check_limits() -> Result<()> {
    let live = LIVE.load(Ordering::Relaxed);
    match memory_limit() {
        Some(limit) if live > limit && live > AT_START.with(|s| s.get()) => Err(memory_error()),
        _ if DEADLINE_SET.load(Ordering::Relaxed) => check_deadline(),
        _ => Ok(()),
    }
}

static DEADLINE_SET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

thread_local! {
    static DEADLINE: Cell<Option<std::time::Instant>> = const { Cell::new(None) };
}

/// Stops statements that run past `deadline` (the fuzzer's time limit; the
/// shell itself has Ctrl-C instead).
pub fn set_deadline(deadline: Option<std::time::Instant>) {
    DEADLINE.with(|d| d.set(deadline));
    DEADLINE_SET.store(deadline.is_some(), Ordering::Relaxed);
}

fn check_deadline() -> Result<()> {
    match DEADLINE.with(|d| d.get()) {
        Some(at) if std::time::Instant::now() > at => Err(Error::new(
            "TimeoutError",
            "the statement ran past its time limit",
        )),
        _ => Ok(()),
    }
}

/// MemoryError if `bytes` more would pass the limit: asked before a value
/// whose size is known in advance is made (`' ' * n`, a width of `n`).
pub fn reserve(bytes: usize) -> Result<()> {
    let limit = memory_limit().unwrap_or(usize::MAX / 2);
    if LIVE.load(Ordering::Relaxed).saturating_add(bytes) > limit {
        return Err(memory_error());
    }
    Ok(())
}

/// `reserve` for `count` items of `size` bytes each.
pub fn reserve_items(count: usize, size: usize) -> Result<()> {
    reserve(count.checked_mul(size).ok_or_else(memory_error)?)
}

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// One level of a recursive walk over values (comparison, repr, hashing);
/// dropping it leaves the level.
pub struct Depth(());

impl Depth {
    /// Enters a level, or raises Python's RecursionError `while …`.
    pub fn enter(context: &str) -> Result<Depth> {
        check_stack()?;
        let depth = DEPTH.with(|d| d.get());
        if depth >= RECURSION_LIMIT {
            return Err(Error::new(
                "RecursionError",
                format!("maximum recursion depth exceeded{context}"),
            ));
        }
        DEPTH.with(|d| d.set(depth + 1));
        Ok(Depth(()))
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

thread_local! {
    /// The lowest address the running code may reach on its stack before
    /// it stops with RecursionError; 0 on the main stack, which is sized
    /// for [`RECURSION_LIMIT`] (a generator's stack is smaller).
    static STACK_FLOOR: Cell<usize> = const { Cell::new(0) };
}

/// Room left under the floor for the frames run between two checks.
const STACK_MARGIN: usize = 2 << 20;

/// Runs `f` on a stack whose lowest address is `lowest` (a coroutine's).
pub fn on_stack<T>(lowest: usize, f: impl FnOnce() -> T) -> T {
    let outer = STACK_FLOOR.with(|s| s.replace(lowest.saturating_add(STACK_MARGIN)));
    let result = f();
    STACK_FLOOR.with(|s| s.set(outer));
    result
}

/// Python's RecursionError where the stack would otherwise overflow.
pub fn check_stack() -> Result<()> {
    let here = 0u8;
    let address = std::ptr::addr_of!(here) as usize;
    if address < STACK_FLOOR.with(|s| s.get()) {
        return Err(Error::new(
            "RecursionError",
            "maximum recursion depth exceeded",
        ));
    }
    Ok(())
}

// Ctrl-C: the one flag the evaluator and the database both reach.

/// Set by Ctrl-C while a statement runs (the prompt's SIGINT handler);
/// the next statement the interpreter reaches stops with KeyboardInterrupt.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub const CANCELLED: &str = "cancelled; the database is as it was before the statement";

/// Asks the running statement to stop (from a signal handler's thread).
pub fn request_interrupt() {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether Ctrl-C was pressed since the last check (which forgets it).
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed)
        && INTERRUPTED.swap(false, std::sync::atomic::Ordering::Relaxed)
}

/// Forgets a Ctrl-C that came after its statement ended.
pub fn clear_interrupt() {
    INTERRUPTED.store(false, std::sync::atomic::Ordering::Relaxed);
}
