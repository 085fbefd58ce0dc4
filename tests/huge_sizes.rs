//! Sizes no machine holds, generated: each must end in MemoryError (or
//! Python's ValueError) before any allocation is attempted, never in an
//! abort. A test binary of its own, because the memory limit is one for the
//! whole process.

use proptest::prelude::*;

/// Counts the heap, so that values past the memory limit are a MemoryError
/// (`ormsh::limits`).
#[global_allocator]
static ALLOCATOR: ormsh::limits::CountingAlloc = ormsh::limits::CountingAlloc;

fn check(src: &str) {
    ormsh::limits::set_memory_limit(Some(256 << 20));
    let src = src.to_string();
    let outcome = ormsh::with_big_stack(move || {
        let mut interp = ormsh::engine::Interp::new(Box::new(Quiet));
        let stmts = ormsh::syntax::parse_input(&src).expect("generated code parses");
        interp.run(&stmts).map_err(|e| (e.kind, src))
    });
    if let Err((kind, src)) = outcome {
        assert!(
            matches!(
                kind.as_str(),
                "MemoryError" | "ValueError" | "OverflowError"
            ),
            "{src}: {kind}"
        );
    }
}

struct Quiet;

impl ormsh::engine::Console for Quiet {
    fn print(&mut self, _: &str) -> ormsh::error::Result<()> {
        Ok(())
    }
    fn display(
        &mut self,
        _: &mut ormsh::engine::Interp,
        _: &ormsh::engine::Value,
    ) -> ormsh::error::Result<()> {
        Ok(())
    }
    fn help(
        &mut self,
        _registry: &ormsh::schema::Registry,
        _model: Option<ormsh::schema::ModelId>,
    ) -> ormsh::error::Result<()> {
        Ok(())
    }

    fn finish_line(&mut self) -> ormsh::error::Result<()> {
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn huge_sizes_are_errors_not_aborts(
        n in prop::sample::select(&["10**9", "10**10", "2**62", "-10**10", "10**18"][..]),
        shape in 0usize..8,
    ) {
        let src = match shape {
            0 => format!("'x' * {n}"),
            1 => format!("[0] * {n}"),
            2 => format!("f'{{0:>{}}}'", n.replace("**", "e").replace("10e", "1e")),
            3 => format!("'x'.ljust({n})"),
            4 => format!("list(range({n}))"),
            5 => format!("'%{}d' % 1", n.trim_start_matches('-').replace("**", "")),
            6 => format!("(1,) * {n}"),
            _ => format!("'ab'.center({n}, '*')"),
        };
        check(&src);
    }

}
