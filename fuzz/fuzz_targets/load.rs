//! Fuzz target `load`: any bytes, read as UTF-8 (invalid sequences replaced, as a
//! lenient reader would), go through `persist::load_str`. It must never panic, hang or
//! overflow the stack; a refusal must explain itself; and whatever loads must survive
//! the canonical round trip. See docs/robustness.md.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_workbench::persist::{self, LoadError};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match persist::load_str(&text) {
        Ok(loaded) => {
            let canonical = persist::to_canonical_string(&loaded.project);
            let back = match persist::load_str(&canonical) {
                Ok(back) => back,
                Err(e) => panic!("the canonical text of a loaded project is refused: {e}"),
            };
            assert!(back.project == loaded.project, "load(canonical(p)) != p");
            assert!(
                persist::to_canonical_string(&back.project) == canonical,
                "the canonical text is not stable"
            );
        }
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "an empty error");
            for p in e.problems() {
                assert!(!p.trim().is_empty(), "an empty problem in {e}");
            }
            if let LoadError::Invalid { problems, .. } = &e {
                for p in problems {
                    assert!(
                        !p.message.trim().is_empty(),
                        "empty message at {}",
                        p.pointer
                    );
                    assert!(p.line.is_some(), "no line for the problem at {}", p.pointer);
                }
            }
        }
    }
});
