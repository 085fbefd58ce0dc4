//! The grammar and the statement splitter on any text: each must answer
//! (a statement list or a SyntaxError), never panic or overflow its stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ormsh::repl::splitter::Splitter;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.to_string();
    ormsh::with_big_stack(move || {
        let _ = ormsh::syntax::parse_input(&text);
        let _ = ormsh::syntax::parse_module(&text);
        let _ = ormsh::syntax::completeness(&text);
        let mut splitter = Splitter::default();
        let mut statements: Vec<_> = text.lines().flat_map(|l| splitter.push(l)).collect();
        statements.extend(splitter.finish());
        for s in statements {
            let _ = ormsh::syntax::parse_input(&s.source());
        }
    });
});
