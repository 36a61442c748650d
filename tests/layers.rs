//! The layers of docs/ARCHITECTURE.md, checked on the source: each top-level module of
//! `src/` imports only the layers below it, clap and ratatui stay in the layers that own the
//! command line and the terminal, and files are read and written only by `kernel` and `store`.
//!
//! Test code (`#[cfg(test)]` items, `tests.rs` files and the test-only modules they name)
//! is left out: a unit test may build its fixtures from any layer. A failure names the file,
//! the line and the import that breaks the rule.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/source.rs"]
mod source;

use source::{Tok, Token, scan_tree};
use std::collections::BTreeMap;
use std::path::Path;

/// Each layer and the layers (top-level modules of the crate) it may import. Lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("malloc_tuning", &[]),
    ("model", &["text"]),
    ("kernel", &["model", "text"]),
    ("collect", &["kernel", "model", "text"]),
    // Recordings: bytes and files of samples of the model; it never reads the kernel.
    ("store", &["model", "text"]),
    ("actions", &["collect", "kernel", "model", "text"]),
    ("explain", &["model", "text"]),
    (
        "report",
        &[
            "collect",
            "kernel",
            "malloc_tuning",
            "model",
            "store",
            "text",
        ],
    ),
    (
        "export",
        &["collect", "kernel", "malloc_tuning", "model", "text"],
    ),
    (
        "app",
        &[
            "actions", "collect", "explain", "kernel", "model", "store", "text",
        ],
    ),
    // The state holds plans and targets (the actions' data), which the windows show.
    ("ui", &["actions", "app", "explain", "model", "text"]),
    (
        "tui",
        &[
            "app",
            "collect",
            "kernel",
            "malloc_tuning",
            "model",
            "store",
            "text",
            "ui",
        ],
    ),
    // The command line's defaults (where procfs is) come from the kernel layer.
    ("cli", &["kernel"]),
    // The config file is read here and parsed and written by the app's pure config.
    (
        "commands",
        &[
            "actions", "app", "cli", "collect", "export", "kernel", "model", "report", "store",
            "text", "tui",
        ],
    ),
];

/// External crates that belong to one part only: the command line, the terminal.
const CRATES: &[(&str, &[&str])] = &[
    ("clap", &["cli", "commands"]),
    ("ratatui", &["app", "ui", "tui"]),
];

/// Layers that may read and write files (std::fs): the kernel's readers and writers, and
/// the recordings.
const FILE_IO: &[&str] = &["kernel", "store"];

#[derive(Debug, PartialEq, Eq)]
struct Breach {
    file: String,
    line: usize,
    what: String,
}

/// The module path of a file under src/: `kernel/spawn/child.rs` -> [kernel, spawn, child];
/// `lib.rs` and `main.rs` -> [].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

fn is_punct(toks: &[Token], i: usize, c: char) -> bool {
    toks.get(i).is_some_and(|t| t.0 == Tok::Punct(c))
}

fn is_ident(toks: &[Token], i: usize, word: &str) -> bool {
    toks.get(i)
        .is_some_and(|t| matches!(&t.0, Tok::Ident(w) if w == word))
}

/// `::` at `i`.
fn is_path_sep(toks: &[Token], i: usize) -> bool {
    is_punct(toks, i, ':') && is_punct(toks, i + 1, ':')
}

/// Whether the token at `i` begins a path (it does not follow a `::` or a `$`).
fn starts_path(toks: &[Token], i: usize) -> bool {
    i == 0 || !(is_punct(toks, i - 1, ':') || is_punct(toks, i - 1, '$'))
}

/// The first segments of the paths that start at `i`: `x` of `x::y`, or each head of a
/// group `{a::b, c, d::{e, f}}`.
fn heads_at(toks: &[Token], i: usize) -> Vec<String> {
    match toks.get(i).map(|t| &t.0) {
        Some(Tok::Ident(w)) => vec![w.clone()],
        Some(Tok::Punct('{')) => {
            let mut heads = Vec::new();
            let mut depth = 0;
            let mut at_start = true;
            for (t, _) in &toks[i..] {
                match t {
                    Tok::Punct('{') => {
                        depth += 1;
                        at_start = depth == 1;
                    }
                    Tok::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Tok::Punct(',') if depth == 1 => at_start = true,
                    Tok::Ident(w) if at_start && depth == 1 => {
                        heads.push(w.clone());
                        at_start = false;
                    }
                    _ => at_start = false,
                }
            }
            heads
        }
        _ => Vec::new(),
    }
}

/// The top-level modules the code names, with their lines: `crate::X`, the heads of
/// `crate::{X, Y::z}`, and `super::` paths that climb out of the file's own layer (from a
/// file `depth` modules deep, `depth` supers reach the crate root).
fn layers_named(toks: &[Token], depth: usize) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for i in 0..toks.len() {
        let line = toks[i].1;
        if is_ident(toks, i, "crate") && starts_path(toks, i) && is_path_sep(toks, i + 1) {
            found.extend(heads_at(toks, i + 3).into_iter().map(|h| (h, line)));
        }
        if is_ident(toks, i, "super") && starts_path(toks, i) {
            let mut j = i;
            let mut climbs = 0;
            while is_ident(toks, j, "super") && is_path_sep(toks, j + 1) {
                climbs += 1;
                j += 3;
            }
            if depth > 0 && climbs >= depth {
                found.extend(heads_at(toks, j).into_iter().map(|h| (h, line)));
            }
        }
    }
    found.retain(|(h, _)| h != "self");
    found
}

/// Lines where a path starts with `krate::` (a use of that crate).
fn crate_uses(toks: &[Token], krate: &str) -> Vec<usize> {
    (0..toks.len())
        .filter(|&i| is_ident(toks, i, krate) && starts_path(toks, i) && is_path_sep(toks, i + 1))
        .map(|i| toks[i].1)
        .collect()
}

/// Lines that name `std::fs`.
fn file_io(toks: &[Token]) -> Vec<usize> {
    (0..toks.len())
        .filter(|&i| {
            is_ident(toks, i, "std")
                && starts_path(toks, i)
                && is_path_sep(toks, i + 1)
                && (is_ident(toks, i + 3, "fs") || heads_at(toks, i + 3).iter().any(|h| h == "fs"))
        })
        .map(|i| toks[i].1)
        .collect()
}

/// Every breach of the rules in the crate at `crate_dir` (its `src/`).
fn breaches(crate_dir: &Path) -> Vec<Breach> {
    let rules: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let tree = scan_tree(crate_dir, Path::new("src"));
    let mut out = Vec::new();
    for (file, scan) in tree.code() {
        let rel = file.strip_prefix("src").unwrap_or(file);
        let module = module_path(rel);
        let Some(layer) = module.first().map(String::as_str) else {
            continue; // lib.rs and main.rs tie the layers together
        };
        let text = std::fs::read_to_string(crate_dir.join(file)).unwrap_or_default();
        let source_line = |n: usize| text.lines().nth(n - 1).unwrap_or("").trim().to_string();
        let mut breach = |line: usize, what: String| {
            out.push(Breach {
                file: file.display().to_string(),
                line,
                what,
            });
        };
        let Some(allowed) = rules.get(layer) else {
            breach(
                0,
                format!(
                    "`{layer}` is not a layer of tests/layers.rs: add it to LAYERS with what it \
                     may import"
                ),
            );
            continue;
        };
        for (named, line) in layers_named(&scan.code, module.len()) {
            if named != layer && !allowed.contains(&named.as_str()) {
                breach(
                    line,
                    format!(
                        "`{layer}` imports `{named}` ({}); `{layer}` may import only {allowed:?}",
                        source_line(line)
                    ),
                );
            }
        }
        for (krate, owners) in CRATES {
            if owners.contains(&layer) {
                continue;
            }
            for line in crate_uses(&scan.code, krate) {
                breach(
                    line,
                    format!(
                        "`{layer}` uses {krate} ({}); only {owners:?} may",
                        source_line(line)
                    ),
                );
            }
        }
        if !FILE_IO.contains(&layer) {
            for line in file_io(&scan.code) {
                breach(
                    line,
                    format!(
                        "`{layer}` does file I/O ({}); kernel readers and writers do it",
                        source_line(line)
                    ),
                );
            }
        }
    }
    out
}

#[test]
fn every_layer_imports_only_the_layers_below_it() {
    let found = breaches(Path::new(env!("CARGO_MANIFEST_DIR")));
    let text: Vec<String> = found
        .iter()
        .map(|b| format!("{}:{}: {}", b.file, b.line, b.what))
        .collect();
    assert!(
        found.is_empty(),
        "{} import rule(s) broken (docs/ARCHITECTURE.md, \"Layers\"):\n{}",
        found.len(),
        text.join("\n")
    );
}

/// The checker itself, on a small tree made here: a kernel file that imports the actions
/// layer (the way `kernel/spawn` once did), a model file that uses the collector through a
/// group import, ratatui in the kernel, and test code that may do anything.
#[test]
fn the_checker_finds_upward_imports_in_every_spelling() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = &dir.path().join("src");
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("lib.rs", "pub mod kernel;\npub mod model;\n");
    write(
        "kernel/spawn.rs",
        "use crate::actions::run::RunRequest;\n\
         // use crate::app::nothing; (a comment is not an import)\n\
         fn f() { let _ = \"crate::ui in a string\"; }\n\
         use ratatui::Frame;\n\
         #[cfg(test)]\nmod tests {\n    use crate::app::AppState;\n}\n\
         #[cfg(test)]\nmod fixtures;\n#[cfg(test)]\n#[path = \"spawn_checks.rs\"]\nmod checks;\n",
    );
    write("kernel/spawn/fixtures.rs", "use crate::ui::draw;\n");
    write("kernel/spawn_checks.rs", "use crate::tui::run;\n");
    write(
        "model/snapshot.rs",
        "use crate::{text::display_safe, collect::{Collector, Rates}};\n\
         fn g() { super::super::report::summary(); }\n\
         fn h() { std::fs::read(\"x\"); }\n",
    );
    let found = breaches(dir.path());
    let said: Vec<(String, usize, String)> = found
        .iter()
        .map(|b| (b.file.clone(), b.line, b.what.clone()))
        .collect();
    let has = |file: &str, line: usize, word: &str| {
        said.iter()
            .any(|(f, l, w)| f == file && *l == line && w.contains(word))
    };
    assert!(
        has("src/kernel/spawn.rs", 1, "imports `actions`"),
        "{said:#?}"
    );
    assert!(has("src/kernel/spawn.rs", 4, "uses ratatui"), "{said:#?}");
    assert!(
        has("src/model/snapshot.rs", 1, "imports `collect`"),
        "{said:#?}"
    );
    assert!(
        has("src/model/snapshot.rs", 2, "imports `report`"),
        "{said:#?}"
    );
    assert!(has("src/model/snapshot.rs", 3, "file I/O"), "{said:#?}");
    // text is below model: allowed. Comments, strings, test modules and test files: ignored.
    assert_eq!(found.len(), 5, "{said:#?}");
}
