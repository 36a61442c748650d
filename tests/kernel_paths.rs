//! CI check for docs/ARCHITECTURE.md, "Roots": every kernel path comes from `Roots` (src/kernel/roots.rs),
//! so that fixtures can swap the roots. A literal "/proc" or "/sys" anywhere else is a bug.
//!
//! The rule, over the Rust code under src/: a string literal (plain, raw or byte) that starts
//! with `/proc` or `/sys` as a path, that is followed by `/`, the end of the string or any
//! character that cannot go on a file name (`"/proc/self/stat"`, `"/sys"`, `"/proc: ..."`; not
//! `"/system.slice"`, `"/sysfs"`), is a hit. Not looked at:
//! - src/kernel/roots.rs, where the roots are;
//! - comments and doc comments (`//`, `///`, `//!`, `/* */`);
//! - test code: the item after `#[cfg(test)]` (a `mod tests { .. }`, a helper fn), and the files
//!   of modules declared under `#[cfg(test)]` (`mod tests;`, with or without `#[path]`);
//! - a literal marked as text shown to people that starts with a path, such as
//!   "/proc/{pid}/ns: permission denied": its line ends with the comment
//!   `// display text, not a path read`, or, where that would not fit in 100 columns, the line
//!   just above is that comment alone. Sentences that mention /proc further in are not hits and
//!   need no marker.
//!
//! Paths built another way (`Path::new("/").join("proc")`) are not caught. Inline modules are
//! taken to hold no `mod x;` declarations. Run alone: `cargo test --test kernel_paths`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The only file that may name the kernel's paths.
const ROOTS: &str = "src/kernel/roots.rs";
/// The comment that marks a literal as display text: after it on its line, or alone on the
/// line above.
const MARKER: &str = "display text, not a path read";

#[test]
fn no_kernel_path_outside_roots() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        crate_dir.join(ROOTS).is_file(),
        "{ROOTS} is gone: point ROOTS in tests/kernel_paths.rs at the file that holds the roots"
    );
    let scan = scan_tree(crate_dir, Path::new("src"), Path::new(ROOTS));
    assert!(scan.files > 50, "only {} files scanned", scan.files);
    assert!(!scan.test_only.is_empty(), "no test-only module file found");
    assert!(
        scan.hits.is_empty(),
        "literal /proc or /sys paths outside {ROOTS} (docs/ARCHITECTURE.md, section Roots: join kernel paths \
         through Roots; mark text shown to people that starts with such a path with \
         `// {MARKER}` at the end of its line or alone on the line above):\n{}",
        scan.hits.join("\n")
    );
}

struct TreeScan {
    files: usize,
    test_only: BTreeSet<PathBuf>,
    /// `file:line: "literal"`, in file order.
    hits: Vec<String>,
}

/// Scans every .rs file under `crate_dir/src_dir`, skipping `exempt` and test-only files.
fn scan_tree(crate_dir: &Path, src_dir: &Path, exempt: &Path) -> TreeScan {
    let mut files = Vec::new();
    rust_files(&crate_dir.join(src_dir), &mut files);
    let parsed: BTreeMap<PathBuf, FileScan> = files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            let rel = f.strip_prefix(crate_dir).unwrap().to_path_buf();
            (rel, scan_file(&text))
        })
        .collect();

    let resolve = |file: &Path, decl: &ModDecl| -> Option<PathBuf> {
        let here = file.parent()?;
        if let Some(p) = &decl.path {
            return Some(here.join(p));
        }
        let own_dir = match file.file_name()?.to_str()? {
            "lib.rs" | "main.rs" | "mod.rs" => here.to_path_buf(),
            _ => here.join(file.file_stem()?),
        };
        // A file loaded by #[path] keeps its modules beside it, as a mod.rs does: look there
        // too (only a file that exists is taken, and rustc takes the first that does).
        [&own_dir, here]
            .into_iter()
            .flat_map(|d| {
                [
                    d.join(format!("{}.rs", decl.name)),
                    d.join(&decl.name).join("mod.rs"),
                ]
            })
            .find(|p| parsed.contains_key(p))
    };

    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    for (file, scan) in &parsed {
        if scan.whole_file_test {
            test_only.insert(file.clone());
        }
        for decl in &scan.test_mods {
            let target = resolve(file, decl).unwrap_or_else(|| {
                panic!(
                    "{}: cannot find the file of `mod {};`",
                    file.display(),
                    decl.name
                )
            });
            test_only.insert(target);
        }
    }
    // The modules of a test-only file are test-only too.
    loop {
        let children: Vec<PathBuf> = test_only
            .iter()
            .flat_map(|f| parsed[f].mods.iter().filter_map(|d| resolve(f, d)))
            .filter(|c| !test_only.contains(c))
            .collect();
        if children.is_empty() {
            break;
        }
        test_only.extend(children);
    }

    let hits = parsed
        .iter()
        .filter(|(file, _)| file.as_path() != exempt && !test_only.contains(*file))
        .flat_map(|(file, scan)| {
            scan.hits
                .iter()
                .map(move |(line, lit)| format!("{}:{line}: {lit:?}", file.display()))
        })
        .collect();
    TreeScan {
        files: parsed.len(),
        test_only,
        hits,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
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

/// `mod name;`, with its `#[path = "..."]` if it has one.
#[derive(Debug, PartialEq)]
struct ModDecl {
    name: String,
    path: Option<String>,
}

#[derive(Debug, Default)]
struct FileScan {
    /// (line, literal) of each hit outside test code.
    hits: Vec<(usize, String)>,
    /// `mod x;` under `#[cfg(test)]`.
    test_mods: Vec<ModDecl>,
    /// Every other `mod x;`.
    mods: Vec<ModDecl>,
    /// `#![cfg(test)]` at the top.
    whole_file_test: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    Str(String),
}

/// A token and the line it starts on (1-based).
type Token = (Tok, usize);

/// True for a literal that starts with the path /proc or /sys.
fn is_kernel_path(lit: &str) -> bool {
    ["/proc", "/sys"].iter().any(|root| {
        lit.strip_prefix(root).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        })
    })
}

fn scan_file(text: &str) -> FileScan {
    let (toks, display) = lex(text);
    let mut out = FileScan::default();
    let mut pending_path: Option<String> = None;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i].0 {
            Tok::Punct('#') => {
                let inner = toks.get(i + 1).is_some_and(|t| t.0 == Tok::Punct('!'));
                let open = i + 1 + usize::from(inner);
                if toks.get(open).is_some_and(|t| t.0 == Tok::Punct('[')) {
                    let close = matching(&toks, open);
                    let body = &toks[open + 1..close];
                    if is_cfg_test(body) {
                        if inner {
                            out.whole_file_test = true;
                            return out;
                        }
                        i = skip_item(&toks, close + 1, &mut out.test_mods);
                        pending_path = None;
                        continue;
                    }
                    if let Some(p) = path_attr(body) {
                        pending_path = Some(p);
                    }
                }
            }
            Tok::Ident(kw) if kw == "mod" => {
                if let (Some((Tok::Ident(name), _)), Some((Tok::Punct(';'), _))) =
                    (toks.get(i + 1), toks.get(i + 2))
                {
                    out.mods.push(ModDecl {
                        name: name.clone(),
                        path: pending_path.take(),
                    });
                }
            }
            Tok::Punct(';' | '{' | '}') => pending_path = None,
            Tok::Str(lit) => {
                let line = toks[i].1;
                if is_kernel_path(lit) && !display.contains(&line) {
                    out.hits.push((line, lit.clone()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_cfg_test(body: &[Token]) -> bool {
    let want = [
        Tok::Ident("cfg".into()),
        Tok::Punct('('),
        Tok::Ident("test".into()),
        Tok::Punct(')'),
    ];
    body.len() == want.len() && body.iter().zip(&want).all(|(t, w)| t.0 == *w)
}

fn path_attr(body: &[Token]) -> Option<String> {
    match body {
        [(Tok::Ident(p), _), (Tok::Punct('='), _), (Tok::Str(s), _)] if p == "path" => {
            Some(s.clone())
        }
        _ => None,
    }
}

/// The index of the bracket that closes the one at `open`.
fn matching(toks: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (j, (t, _)) in toks.iter().enumerate().skip(open) {
        match t {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    toks.len().saturating_sub(1)
}

/// Skips the item that starts at `start` (after its `#[cfg(test)]`): its further attributes,
/// then up to a `;` or `,` outside brackets, or through its `{ .. }`. Records `mod x;`.
fn skip_item(toks: &[Token], start: usize, test_mods: &mut Vec<ModDecl>) -> usize {
    let mut j = start;
    let mut path = None;
    while toks.get(j).is_some_and(|t| t.0 == Tok::Punct('#'))
        && toks.get(j + 1).is_some_and(|t| t.0 == Tok::Punct('['))
    {
        let close = matching(toks, j + 1);
        path = path_attr(&toks[j + 2..close]).or(path);
        j = close + 1;
    }
    let item = j;
    let mut depth = 0usize;
    while let Some((t, _)) = toks.get(j) {
        match t {
            Tok::Punct('(' | '[') => depth += 1,
            Tok::Punct(')' | ']') => depth = depth.saturating_sub(1),
            Tok::Punct('{') if depth == 0 => return matching(toks, j) + 1,
            Tok::Punct('}') if depth == 0 => return j,
            Tok::Punct(';' | ',') if depth == 0 => {
                if let [.., (Tok::Ident(kw), _), (Tok::Ident(name), _)] = &toks[item..j]
                    && kw == "mod"
                {
                    test_mods.push(ModDecl {
                        name: name.clone(),
                        path,
                    });
                }
                return j + 1;
            }
            _ => {}
        }
        j += 1;
    }
    j
}

/// Tokens of Rust source, without comments; and the lines that the marker comment marks as
/// display text (its own line after code, the next line when it stands alone).
fn lex(text: &str) -> (Vec<Token>, HashSet<usize>) {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied();
    let mut toks: Vec<Token> = Vec::new();
    let mut display = HashSet::new();
    let mut line = 1;
    let mut i = 0;
    // Reads a "..." string whose opening quote is at `i`; returns its text and the index after.
    let quoted = |mut i: usize, line: &mut usize| {
        let mut s = String::new();
        i += 1;
        while let Some(ch) = at(i) {
            match ch {
                '"' => return (s, i + 1),
                '\\' => {
                    s.push(ch);
                    if let Some(next) = at(i + 1) {
                        *line += usize::from(next == '\n');
                        s.push(next);
                    }
                    i += 2;
                    continue;
                }
                '\n' => *line += 1,
                _ => {}
            }
            s.push(ch);
            i += 1;
        }
        (s, i)
    };
    while let Some(ch) = at(i) {
        let start_line = line;
        match ch {
            '\n' => {
                line += 1;
                i += 1;
            }
            _ if ch.is_whitespace() => i += 1,
            '/' if at(i + 1) == Some('/') => {
                let end = (i..c.len()).find(|&j| c[j] == '\n').unwrap_or(c.len());
                let comment: String = c[i + 2..end].iter().collect();
                if comment.trim() == MARKER {
                    let after_code = toks.last().is_some_and(|t| t.1 == line);
                    display.insert(if after_code { line } else { line + 1 });
                }
                i = end;
            }
            '/' if at(i + 1) == Some('*') => {
                let mut depth = 0;
                while let Some(ch) = at(i) {
                    if ch == '/' && at(i + 1) == Some('*') {
                        depth += 1;
                        i += 2;
                    } else if ch == '*' && at(i + 1) == Some('/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        line += usize::from(ch == '\n');
                        i += 1;
                    }
                }
            }
            '"' => {
                let (s, next) = quoted(i, &mut line);
                toks.push((Tok::Str(s), start_line));
                i = next;
            }
            '\'' => {
                // A char literal ('x', '\n', '"') or a lifetime ('a).
                if at(i + 1) == Some('\\') {
                    i += 3;
                    while at(i).is_some_and(|ch| ch != '\'') {
                        i += 1;
                    }
                    i += 1;
                } else if at(i + 2) == Some('\'') {
                    line += usize::from(at(i + 1) == Some('\n'));
                    i += 3;
                } else {
                    toks.push((Tok::Punct('\''), start_line));
                    i += 1;
                }
            }
            _ if ch.is_alphanumeric() || ch == '_' => {
                let end = (i..c.len())
                    .find(|&j| !(c[j].is_alphanumeric() || c[j] == '_'))
                    .unwrap_or(c.len());
                let word: String = c[i..end].iter().collect();
                let raw_prefix = matches!(word.as_str(), "r" | "br" | "cr");
                let hashes = (end..c.len()).take_while(|&j| c[j] == '#').count();
                if raw_prefix && at(end + hashes) == Some('"') {
                    // r"..", r#".."#, br"..", cr"..": up to a quote and as many #.
                    let body = end + hashes + 1;
                    let mut j = body;
                    while j < c.len()
                        && !(c[j] == '"' && (1..=hashes).all(|k| at(j + k) == Some('#')))
                    {
                        line += usize::from(c[j] == '\n');
                        j += 1;
                    }
                    toks.push((
                        Tok::Str(c[body..j.min(c.len())].iter().collect()),
                        start_line,
                    ));
                    i = j + 1 + hashes;
                } else if matches!(word.as_str(), "b" | "c") && at(end) == Some('"') {
                    let (s, next) = quoted(end, &mut line);
                    toks.push((Tok::Str(s), start_line));
                    i = next;
                } else if word == "b" && at(end) == Some('\'') {
                    // b'x': the quote is read as a char literal next.
                    i = end;
                } else if word == "r" && hashes == 1 {
                    // r#ident: a raw identifier.
                    i = end + 1;
                } else {
                    toks.push((Tok::Ident(word), start_line));
                    i = end;
                }
            }
            _ => {
                toks.push((Tok::Punct(ch), start_line));
                i += 1;
            }
        }
    }
    (toks, display)
}

#[test]
fn literals_that_are_kernel_paths() {
    for yes in [
        "/proc",
        "/sys",
        "/proc/self/stat",
        "/sys/fs/cgroup",
        "/proc/{}/ns",
        "/proc:",
    ] {
        assert!(is_kernel_path(yes), "{yes}");
    }
    for no in [
        "/system.slice",
        "/sysfs",
        "/processes",
        "proc",
        "reading /proc",
        "",
        "/",
    ] {
        assert!(!is_kernel_path(no), "{no}");
    }
}

fn hits(src: &str) -> Vec<(usize, String)> {
    scan_file(src).hits
}

#[test]
fn flags_code_and_skips_comments() {
    let src = r###"
//! Reads "/proc/self/stat".
/// See "/proc/[pid]/cgroup".
fn f() {
    // std::fs::read("/proc/1/stat")
    /* "/proc" /* nested "/sys" */ still a comment "/proc" */
    let a = std::fs::read_to_string("/proc/self/stat"); // a trailing comment
    let b = Path::new("/sys/fs/cgroup");
    let c = "/system.slice/cron.service";
    let d = "permission denied reading /proc/1/maps";
    let e = r#"/proc/raw"#;
    let f = b"/sys/byte";
    let g = br"/proc";
    let h = '"';
    let i = "an \" /proc";
    let r#type = "/proc/after/a/raw/ident";
}
fn g<'a>(x: &'a str) -> char { let _ = "/sys/after/a/lifetime"; '\'' }
"###;
    let got: Vec<usize> = hits(src).into_iter().map(|(line, _)| line).collect();
    assert_eq!(got, vec![7, 8, 11, 12, 13, 16, 18], "{:?}", hits(src));
}

#[test]
fn a_marked_line_is_display_text() {
    let src = r#"fn f() {
    waiting("/proc"); // display text, not a path read
    read("/proc/1"); // other words
    // display text, not a path read
    say("/proc/2: gone");
    read("/proc/3");
    let x = 1; // display text, not a path read
    read("/proc/4");
}"#;
    let got: Vec<usize> = hits(src).into_iter().map(|(line, _)| line).collect();
    assert_eq!(got, vec![3, 6, 8]);
}

#[test]
fn test_code_is_skipped() {
    let src = r#"
#[cfg(test)]
mod tests {
    fn t() { read("/proc/1"); let s = "}"; }
}
#[cfg(test)]
pub(crate) fn helper(x: [u8; 2]) -> String { "/proc/2".into() }
#[cfg(test)]
impl<const N: usize> PartialEq<[&str; N]> for X { fn eq(&self) -> bool { "/sys" == "" } }
fn prod() { read("/proc/3"); }
#[cfg(test)]
mod tests2;
#[cfg(test)]
#[path = "picture/tests.rs"]
mod tests3;
#[path = "other.rs"]
mod other;
mod plain;
"#;
    let scan = scan_file(src);
    assert_eq!(scan.hits, vec![(10, "/proc/3".to_string())]);
    let decl = |name: &str, path: Option<&str>| ModDecl {
        name: name.into(),
        path: path.map(Into::into),
    };
    assert_eq!(
        scan.test_mods,
        vec![
            decl("tests2", None),
            decl("tests3", Some("picture/tests.rs"))
        ]
    );
    assert_eq!(
        scan.mods,
        vec![decl("other", Some("other.rs")), decl("plain", None)]
    );
    assert!(scan_file("#![cfg(test)]\nfn f() { read(\"/proc\"); }").whole_file_test);
}

#[test]
fn test_only_files_are_found_by_their_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("src/lib.rs", "mod a;\n#[cfg(test)]\nmod t;\n");
    write(
        "src/a.rs",
        "#[cfg(test)]\n#[path = \"a/pic_tests.rs\"]\nmod x;\nmod b;\n",
    );
    write("src/a/b.rs", "fn f() { read(\"/proc/b\"); }\n");
    write("src/a/pic_tests.rs", "fn f() { read(\"/proc/x\"); }\n");
    write("src/t.rs", "mod deeper;\nfn f() { read(\"/sys/t\"); }\n");
    write("src/t/deeper.rs", "fn f() { read(\"/proc/d\"); }\n");
    write("src/kernel/roots.rs", "const P: &str = \"/proc\";\n");
    let scan = scan_tree(
        dir.path(),
        Path::new("src"),
        Path::new("src/kernel/roots.rs"),
    );
    assert_eq!(scan.hits, vec![r#"src/a/b.rs:1: "/proc/b""#.to_string()]);
    let test_only: Vec<&str> = scan.test_only.iter().map(|p| p.to_str().unwrap()).collect();
    assert_eq!(
        test_only,
        ["src/a/pic_tests.rs", "src/t/deeper.rs", "src/t.rs"]
    );
}
