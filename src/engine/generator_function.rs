//! Generator functions: calling a `def` whose body yields makes a generator,
//! and its body runs, when first pulled, as a coroutine on a stack of its
//! own (corosensei). `yield` anywhere in the body suspends that stack and
//! the next pull resumes it, as CPython suspends a generator's frame; the
//! tree-walking interpreter needs no other change to run it.

use super::call::Args;
use super::interp::{Flow, Interp};
use super::scope::ScopeRef;
use super::value::{Function, Value};
use crate::error::{Error, Result};
use corosensei::stack::{DefaultStack, Stack};
use corosensei::{Coroutine, CoroutineResult, Yielder};
use std::cell::RefCell;
use std::rc::Rc;

/// What a generator is resumed with: the value of the `yield` it stopped
/// at (None for `next()`, `send(v)`'s value), or the exception `throw()`
/// and `close()` raise there.
pub(super) type Resume = std::result::Result<Value, Error>;

type Body = Coroutine<Resume, Value, Result<Value>, DefaultStack>;

/// Where the body's `yield` suspends to. A pointer, not a reference: the
/// interpreter that holds it has no lifetime (see [`Interp::suspend`]).
pub(super) type YielderRef = std::ptr::NonNull<Yielder<Resume, Value>>;

/// Each running generator's stack. Only the pages it touches are memory;
/// recursion deeper than it holds is a RecursionError (`limits::check_stack`).
const STACK_SIZE: usize = 32 << 20;

/// Finished generators' stacks kept for the next ones: mapping a stack
/// costs more than running a short generator.
const SPARE_STACKS: usize = 16;

thread_local! {
    static SPARE: RefCell<Vec<DefaultStack>> = const { RefCell::new(Vec::new()) };
}

enum State {
    /// Called, not started: the interpreter and locals its body will run in.
    Created(Box<(Interp, Rc<Function>, ScopeRef)>),
    /// Started: suspended at a `yield`, or running. The lowest address of
    /// its stack, for the recursion check.
    Started(Body, usize),
    Finished,
}

/// A generator object: what `gen_fn()` returns.
pub struct Generator {
    pub name: String,
    state: RefCell<State>,
    /// What the body's `return` gave, for the StopIteration that ends it.
    returned: RefCell<Option<Value>>,
}

/// The items of a generator, pulled by any consumer (`for`, `list()`…).
struct Items(Rc<Generator>);

impl Iterator for Items {
    type Item = Result<Value>;

    fn next(&mut self) -> Option<Result<Value>> {
        self.0.resume(Ok(Value::None))
    }
}

impl Interp {
    /// `gen_fn(args)`: the arguments are bound, the body waits for a pull.
    pub(super) fn generator_object(&self, f: &Rc<Function>, local: ScopeRef) -> Value {
        let generator = Rc::new(Generator {
            name: f.name.clone(),
            state: RefCell::new(State::Created(Box::new((self.fork(), f.clone(), local)))),
            returned: RefCell::new(None),
        });
        let value = Value::lazy_iterator("generator", Items(generator.clone()));
        if let Value::Iterator(it) = &value {
            it.borrow_mut().generator = Some((f.name.as_str().into(), generator));
        }
        value
    }

    /// `yield value`: suspends the body until the generator is pulled again.
    pub(super) fn suspend(&mut self, value: Value) -> Result<Value> {
        let Some(yielder) = self.yielder else {
            return Err(Error::new("SyntaxError", "'yield' outside function"));
        };
        // Suspended there, its savepoint would stay open under whatever
        // runs next, and a generator never resumed would never end it.
        if self.atomic_blocks > 0 {
            return Err(Error::new(
                "NotImplementedError",
                "yield inside `with transaction.atomic():` is not supported by ormsh: the savepoint would stay open while the generator waits",
            ));
        }
        // SAFETY: `yielder` is set only in the interpreter a coroutine body
        // makes for itself (in `start`), from the Yielder corosensei passed
        // to that body, which stays valid while the body runs; `fork()`
        // does not copy it, so no interpreter that outlives the body has it.
        let yielder = unsafe { yielder.as_ref() };
        yielder.suspend(value)
    }

    /// `yield from iterable`: its items, and a generator's return value.
    /// A generator is resumed with what this one is, so `send()` and
    /// `throw()` reach it.
    pub(super) fn yield_from(&mut self, iterable: &Value) -> Result<Value> {
        if let Some(inner) = generator_of(iterable) {
            let mut input: Resume = Ok(Value::None);
            loop {
                match inner.resume(input) {
                    Some(Ok(v)) => input = self.suspend(v),
                    Some(Err(e)) => return Err(e),
                    None => return Ok(inner.take_returned()),
                }
            }
        }
        for item in self.iter(iterable)? {
            self.suspend(item?)?;
        }
        Ok(Value::None)
    }

    /// `StopIteration` for an exhausted iterator: a generator's carries
    /// what its body returned, as `e.value`.
    pub(super) fn stop_iteration(&self, iterator: &Value) -> Error {
        let value = generator_of(iterator).map_or(Value::None, |g| g.take_returned());
        let args = match value {
            Value::None => Vec::new(),
            ref v => vec![v.clone()],
        };
        let object = super::exceptions::Exception::new(self.exception_class("StopIteration"), args);
        object.set_attr("value", value);
        super::exceptions::Exception::to_error(&Rc::new(object))
    }

    /// `g.send(v)`, `g.throw(exc)`, `g.close()`.
    pub(super) fn generator_method(
        &mut self,
        iterator: &Value,
        name: &str,
        args: Args,
    ) -> Result<Value> {
        let Some(g) = generator_of(iterator) else {
            return Err(no_attribute(iterator, name));
        };
        match name {
            "send" => {
                args.no_kw(name)?;
                let [value] = <[Value; 1]>::try_from(args.pos).map_err(|pos| {
                    Error::type_error(format!(
                        "generator.send() takes exactly one argument ({} given)",
                        pos.len()
                    ))
                })?;
                if !matches!(value, Value::None) && g.is_unstarted() {
                    return Err(Error::type_error(
                        "can't send non-None value to a just-started generator",
                    ));
                }
                self.pulled(iterator, g.resume(Ok(value)))
            }
            "throw" => {
                args.no_kw(name)?;
                let raised = match args.pos.first() {
                    Some(Value::ExcClass(c)) => {
                        let args = args.pos.get(1).cloned().into_iter().collect();
                        Rc::new(super::exceptions::Exception::new(c.clone(), args))
                    }
                    Some(Value::Exception(e)) => e.clone(),
                    _ => {
                        return Err(Error::type_error(
                            "exceptions must be classes or instances deriving from BaseException, not "
                                .to_string()
                                + args.pos.first().map_or("NoneType", Value::type_name),
                        ));
                    }
                };
                let error = super::exceptions::Exception::to_error(&raised);
                self.pulled(iterator, g.resume(Err(error)))
            }
            "close" => {
                args.no_kw(name)?;
                g.close()
            }
            _ => Err(no_attribute(iterator, name)),
        }
    }

    /// What `send()` and `throw()` return: the next value, or the
    /// StopIteration of a generator that finished.
    fn pulled(&self, iterator: &Value, next: Option<Result<Value>>) -> Result<Value> {
        match next {
            Some(v) => v,
            None => Err(self.stop_iteration(iterator)),
        }
    }
}

fn generator_of(v: &Value) -> Option<Rc<Generator>> {
    match v {
        Value::Iterator(it) => {
            let (_, g) = it.borrow().generator.clone()?;
            g.downcast::<Generator>().ok()
        }
        _ => None,
    }
}

fn no_attribute(v: &Value, name: &str) -> Error {
    Error::new(
        "AttributeError",
        format!("'{}' object has no attribute '{name}'", v.type_name()),
    )
}

impl Generator {
    fn is_unstarted(&self) -> bool {
        self.state
            .try_borrow()
            .is_ok_and(|s| matches!(*s, State::Created(_)))
    }

    fn take_returned(&self) -> Value {
        self.returned.borrow_mut().take().unwrap_or(Value::None)
    }

    /// Runs the body to its next `yield` (Some(Ok)), its end (None, the
    /// return value kept) or an exception (Some(Err)), which ends it.
    fn resume(&self, input: Resume) -> Option<Result<Value>> {
        let Ok(mut state) = self.state.try_borrow_mut() else {
            return Some(Err(Error::value_error("generator already executing")));
        };
        if let State::Created(_) = &*state {
            let State::Created(start) = std::mem::replace(&mut *state, State::Finished) else {
                unreachable!("matched just above")
            };
            // `throw()` into a generator that has not started raises at once.
            if let Err(e) = input {
                return Some(Err(e));
            }
            match start_body(*start) {
                Ok(started) => *state = started,
                Err(e) => return Some(Err(e)),
            }
        }
        let State::Started(body, lowest) = &mut *state else {
            return match input {
                Err(e) => Some(Err(e)),
                Ok(_) => None,
            };
        };
        let _level = match crate::limits::Depth::enter("") {
            Ok(level) => level,
            Err(e) => return Some(Err(e)),
        };
        match crate::limits::on_stack(*lowest, || body.resume(input)) {
            CoroutineResult::Yield(v) => Some(Ok(v)),
            CoroutineResult::Return(outcome) => {
                if let State::Started(body, _) = std::mem::replace(&mut *state, State::Finished) {
                    give_back(body.into_stack());
                }
                match outcome {
                    Ok(v) => {
                        *self.returned.borrow_mut() = Some(v);
                        None
                    }
                    Err(e) => Some(Err(e)),
                }
            }
        }
    }

    /// `close()`: GeneratorExit where the body stopped, so that its
    /// `finally` blocks run.
    fn close(&self) -> Result<Value> {
        match self.state.try_borrow_mut() {
            Err(_) => return Err(Error::value_error("generator already executing")),
            Ok(mut state) if !matches!(*state, State::Started(..)) => {
                *state = State::Finished;
                return Ok(Value::None);
            }
            Ok(_) => {}
        }
        let exit = Error::new("GeneratorExit", "");
        match self.resume(Err(exit)) {
            Some(Ok(_)) => Err(Error::new(
                "RuntimeError",
                "generator ignored GeneratorExit",
            )),
            Some(Err(e)) if e.kind != "GeneratorExit" => Err(e),
            _ => Ok(Value::None),
        }
    }
}

/// The body's coroutine, on a spare stack or a new one.
fn start_body((interp, f, local): (Interp, Rc<Function>, ScopeRef)) -> Result<State> {
    let stack = match SPARE.with(|s| s.borrow_mut().pop()) {
        Some(stack) => stack,
        None => DefaultStack::new(STACK_SIZE).map_err(|_| crate::limits::memory_error())?,
    };
    let lowest = stack.limit().get();
    let body = Coroutine::with_stack(stack, move |yielder: &Yielder<Resume, Value>, first| {
        first?;
        let mut interp = interp;
        interp.yielder = Some(std::ptr::NonNull::from(yielder));
        run_body(&mut interp, &f, &local)
    });
    Ok(State::Started(body, lowest))
}

/// The body, as a function's: its expression statements print nothing.
fn run_body(interp: &mut Interp, f: &Function, local: &ScopeRef) -> Result<Value> {
    interp.enter_call()?;
    let flow = interp.exec_block(f.body.statements(), local);
    interp.call_depth -= 1;
    match flow {
        Ok(Flow::Return(v)) => Ok(v),
        Ok(_) => Ok(Value::None),
        // PEP 479: a StopIteration escaping the body would end whatever
        // loop pulls the generator without a word.
        Err(e) if e.kind == "StopIteration" => {
            Err(Error::new("RuntimeError", "generator raised StopIteration"))
        }
        Err(e) => Err(e),
    }
}

fn give_back(stack: DefaultStack) {
    SPARE.with(|s| {
        let mut spare = s.borrow_mut();
        if spare.len() < SPARE_STACKS {
            spare.push(stack);
        }
    });
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<generator object {}>", self.name)
    }
}
