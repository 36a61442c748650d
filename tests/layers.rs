//! The layers of docs/ARCHITECTURE.md, checked on the source: each top-level module of
//! `src/` imports only the layers below it, clap and ratatui stay in the layers that own the
//! command line and the terminal, and files are read and written only by `kernel`.
//!
//! Test code (`#[cfg(test)]` items, `tests.rs` files and the test-only modules they name)
//! is left out: a unit test may build its fixtures from any layer. A failure names the file,
//! the line and the import that breaks the rule.

#![allow(
    clippy::expect_used,
    reason = "a test crate: a source tree that cannot be read fails the test"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each layer and the layers (top-level modules of the crate) it may import. Lowest first.
const LAYERS: &[(&str, &[&str])] = &[
    ("text", &[]),
    ("malloc_tuning", &[]),
    ("model", &["text"]),
    ("kernel", &["model", "text"]),
    ("collect", &["kernel", "model", "text"]),
    ("actions", &["collect", "kernel", "model", "text"]),
    ("explain", &["model", "text"]),
    (
        "report",
        &["collect", "kernel", "malloc_tuning", "model", "text"],
    ),
    (
        "app",
        &["actions", "collect", "explain", "kernel", "model", "text"],
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
            "text",
            "ui",
        ],
    ),
    // The command line's defaults (where procfs is) come from the kernel layer.
    ("cli", &["kernel"]),
    (
        "commands",
        &[
            "actions", "cli", "collect", "kernel", "model", "report", "text", "tui",
        ],
    ),
];

/// External crates that belong to one part only: the command line, the terminal.
const CRATES: &[(&str, &[&str])] = &[
    ("clap", &["cli", "commands"]),
    ("ratatui", &["app", "ui", "tui"]),
];

/// Layers that may read and write files (std::fs): the kernel's readers and writers only.
const FILE_IO: &[&str] = &["kernel"];

#[derive(Debug, PartialEq, Eq)]
struct Breach {
    file: String,
    line: usize,
    what: String,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/kernel/spawn/child.rs` -> [kernel, spawn, child];
/// `src/lib.rs` and `src/main.rs` -> [].
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

/// The code of a file as (line number, code, the line as written): comments removed,
/// string and char literals blanked, test-only items left out. Also returns the names of
/// the test-only modules it declares (`#[cfg(test)] mod x;`).
fn code_lines(text: &str) -> (Vec<(usize, String, String)>, Vec<String>) {
    let originals: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut test_mods = Vec::new();
    let mut skip_depth: Option<i32> = None;
    let mut pending_cfg_test = false;
    for (i, line) in blank_literals(text).lines().enumerate() {
        let t = line.trim();
        if let Some(depth) = skip_depth.as_mut() {
            *depth += braces(line);
            if *depth <= 0 {
                skip_depth = None;
            }
            continue;
        }
        if t.starts_with("#[cfg(test)]") {
            pending_cfg_test = true;
            continue;
        }
        if pending_cfg_test {
            if t.starts_with("#[") || t.is_empty() {
                continue; // another attribute of the same item
            }
            pending_cfg_test = false;
            if let Some(name) = t
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ")
                .strip_prefix("mod ")
                .and_then(|r| r.strip_suffix(';'))
            {
                test_mods.push(name.trim().to_string());
                continue;
            }
            let depth = braces(line);
            if depth > 0 || !(t.ends_with(';') || t.ends_with('}')) {
                skip_depth = Some(depth);
            }
            continue;
        }
        let original = originals.get(i).copied().unwrap_or("").to_string();
        out.push((i + 1, line.to_string(), original));
    }
    (out, test_mods)
}

/// `{` minus `}` on a line of code (literals already blanked).
fn braces(line: &str) -> i32 {
    line.chars()
        .map(|c| match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        })
        .sum()
}

/// The text with comments removed and the insides of string and char literals blanked
/// (newlines kept, so lines keep their numbers). Strings may span lines; raw strings
/// (`r"…"`, `r#"…"#`) and lifetimes (`'a`) are told apart from what they resemble.
fn blank_literals(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let keep_newlines = |s: &[char], out: &mut String| {
        for ch in s {
            if *ch == '\n' {
                out.push('\n');
            }
        }
    };
    while i < c.len() {
        match c[i] {
            '/' if c.get(i + 1) == Some(&'/') => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if c.get(i + 1) == Some(&'*') => {
                let start = i;
                i += 2;
                while i < c.len() && !(c[i] == '*' && c.get(i + 1) == Some(&'/')) {
                    i += 1;
                }
                i = (i + 2).min(c.len());
                keep_newlines(&c[start..i], &mut out);
            }
            'r' if (c.get(i + 1) == Some(&'"') || c.get(i + 1) == Some(&'#'))
                && !c[..i]
                    .last()
                    .is_some_and(|p| p.is_alphanumeric() || *p == '_') =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while c.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if c.get(j) != Some(&'"') {
                    out.push(c[i]);
                    i += 1;
                    continue;
                }
                let start = j + 1;
                let mut k = start;
                loop {
                    if k >= c.len() {
                        break;
                    }
                    if c[k] == '"' && (0..hashes).all(|h| c.get(k + 1 + h) == Some(&'#')) {
                        break;
                    }
                    k += 1;
                }
                out.push_str("\"\"");
                keep_newlines(&c[start..k.min(c.len())], &mut out);
                i = (k + 1 + hashes).min(c.len());
            }
            '"' => {
                let start = i + 1;
                let mut k = start;
                while k < c.len() && c[k] != '"' {
                    if c[k] == '\\' {
                        k += 1;
                    }
                    k += 1;
                }
                out.push_str("\"\"");
                keep_newlines(&c[start..k.min(c.len())], &mut out);
                i = (k + 1).min(c.len());
            }
            '\'' => {
                // 'x' or '\n' is a char literal; 'a (no closing quote soon) a lifetime.
                let close = if c.get(i + 1) == Some(&'\\') {
                    (i + 3..(i + 12).min(c.len())).find(|k| c[*k] == '\'')
                } else if c.get(i + 2) == Some(&'\'') {
                    Some(i + 2)
                } else {
                    None
                };
                match close {
                    Some(k) => {
                        out.push_str("' '");
                        i = k + 1;
                    }
                    None => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            ch => {
                out.push(ch);
                i += 1;
            }
        }
    }
    out
}

/// The top-level modules a piece of code names: `crate::X`, the names in `use crate::{X,
/// Y::z}`, and `super::` paths that climb out of the file's own layer.
fn layers_named(code: &str, module: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        // Not a path that merely ends in `crate` (`boxtop::crate` cannot occur; `_crate::`
        // could).
        if code[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_heads(group));
        } else {
            found.push(ident(rest));
        }
    }
    // `super::super::x` from a file `depth` modules deep reaches the crate root when it
    // climbs `depth` times.
    let depth = module.len();
    let mut from = 0;
    while let Some(i) = code[from..].find("super::") {
        let start = from + i;
        if code[..start]
            .chars()
            .last()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
        {
            from = start + 1;
            continue;
        }
        let mut rest = &code[start..];
        let mut climbs = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            climbs += 1;
            rest = r;
        }
        if climbs >= depth && depth > 0 {
            if let Some(group) = rest.strip_prefix('{') {
                found.extend(group_heads(group));
            } else {
                found.push(ident(rest));
            }
        }
        from = start + climbs * "super::".len();
    }
    found.retain(|n| !n.is_empty() && n != "self");
    found
}

/// The first segment of each path in a `{a::b, c, d::{e, f}}` group (the text after `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut at_start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => at_start = true,
            c if at_start && (c.is_alphanumeric() || c == '_') => {
                heads.push(ident(&group[i..]));
                at_start = false;
            }
            _ => {}
        }
    }
    heads
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Every breach of the rules in the source tree at `root`.
fn breaches(root: &Path) -> Vec<Breach> {
    let rules: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(root, &mut files);
    // Test-only modules, found first: `#[cfg(test)] mod test_map;` in kernel/maps.rs makes
    // kernel/maps/test_map.rs test code.
    let mut test_files = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("a readable source file");
        let (_, mods) = code_lines(&text);
        let dir = f.with_extension("");
        for m in mods {
            test_files.push(dir.join(format!("{m}.rs")));
        }
    }
    let mut out = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(root).expect("under src");
        let in_tests = rel.iter().any(|p| p == "tests" || p == "tests.rs");
        if in_tests || test_files.iter().any(|t| t == f) {
            continue;
        }
        let module = module_path(rel);
        let Some(layer) = module.first().map(String::as_str) else {
            continue; // lib.rs and main.rs tie the layers together
        };
        let breach = |line: usize, what: String| Breach {
            file: format!("src/{}", rel.display()),
            line,
            what,
        };
        let Some(allowed) = rules.get(layer) else {
            out.push(breach(
                0,
                format!("`{layer}` is not a layer of tests/layers.rs: add it to LAYERS with what it may import"),
            ));
            continue;
        };
        let text = std::fs::read_to_string(f).expect("a readable source file");
        let (lines, _) = code_lines(&text);
        for (n, line, original) in &lines {
            for named in layers_named(line, &module) {
                if named != layer && !allowed.contains(&named.as_str()) {
                    out.push(breach(
                        *n,
                        format!(
                            "`{layer}` imports `{named}` ({}); `{layer}` may import only {:?}",
                            original.trim(),
                            allowed
                        ),
                    ));
                }
            }
            for (krate, owners) in CRATES {
                let uses =
                    line.contains(&format!("{krate}::")) && !line.contains(&format!("_{krate}::"));
                if uses && !owners.contains(&layer) {
                    out.push(breach(
                        *n,
                        format!(
                            "`{layer}` uses {krate} ({}); only {owners:?} may",
                            original.trim()
                        ),
                    ));
                }
            }
            if line.contains("std::fs") && !FILE_IO.contains(&layer) {
                out.push(breach(
                    *n,
                    format!(
                        "`{layer}` does file I/O ({}); kernel readers and writers do it",
                        original.trim()
                    ),
                ));
            }
        }
    }
    out
}

#[test]
fn every_layer_imports_only_the_layers_below_it() {
    let found = breaches(&src());
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
    let root = dir.path();
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
         #[cfg(test)]\nmod fixtures;\n",
    );
    write("kernel/spawn/fixtures.rs", "use crate::ui::draw;\n");
    write("kernel/spawn/tests.rs", "use crate::tui::run;\n");
    write(
        "model/snapshot.rs",
        "use crate::{text::display_safe, collect::{Collector, Rates}};\n\
         fn g() { super::super::report::summary(); }\n\
         fn h() { std::fs::read(\"x\"); }\n",
    );
    let found = breaches(root);
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
