//! Rust source as tokens, for the checks that read `src/` (tests/kernel_paths.rs,
//! tests/layers.rs): comments dropped, literals kept whole, and test code set apart (the
//! item after `#[cfg(test)]`, and the files of modules declared under it, with or without
//! `#[path]`). Inline modules are taken to hold no `mod x;` declarations.

#![allow(
    dead_code,
    reason = "each check that includes this file uses a part of it"
)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The comment that marks a literal as text shown to people: after it on its line, or alone
/// on the line above (tests/kernel_paths.rs explains why).
pub(crate) const DISPLAY_MARKER: &str = "display text, not a path read";

/// Every .rs file of a source tree, lexed, and which of them are test code.
pub(crate) struct SourceTree {
    /// By path relative to the crate directory (`src/kernel/maps.rs`).
    pub files: BTreeMap<PathBuf, FileScan>,
    /// Files that are test code as a whole: declared under `#[cfg(test)]`, `#![cfg(test)]`
    /// at their top, or a module of such a file.
    pub test_only: BTreeSet<PathBuf>,
}

impl SourceTree {
    /// The files that are not test code, with what is not test code in them.
    pub(crate) fn code(&self) -> impl Iterator<Item = (&PathBuf, &FileScan)> {
        self.files
            .iter()
            .filter(|(f, _)| !self.test_only.contains(*f))
    }
}

/// Reads and lexes every .rs file under `crate_dir/src_dir`.
pub(crate) fn scan_tree(crate_dir: &Path, src_dir: &Path) -> SourceTree {
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

    SourceTree {
        files: parsed,
        test_only,
    }
}

pub(crate) fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
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
pub(crate) struct ModDecl {
    pub name: String,
    pub path: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct FileScan {
    /// The tokens outside test code (the items after `#[cfg(test)]` left out), in order.
    pub code: Vec<Token>,
    /// Lines that the display-text marker marks (see [`DISPLAY_MARKER`]).
    pub display: HashSet<usize>,
    /// `mod x;` under `#[cfg(test)]`.
    pub test_mods: Vec<ModDecl>,
    /// Every other `mod x;`.
    pub mods: Vec<ModDecl>,
    /// `#![cfg(test)]` at the top.
    pub whole_file_test: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Punct(char),
    Str(String),
}

/// A token and the line it starts on (1-based).
pub(crate) type Token = (Tok, usize);

/// Lexes a file and sets its test code apart.
pub(crate) fn scan_file(text: &str) -> FileScan {
    let (toks, display) = lex(text);
    let mut out = FileScan {
        display,
        ..FileScan::default()
    };
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
            _ => {}
        }
        out.code.push(toks[i].clone());
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
pub(crate) fn lex(text: &str) -> (Vec<Token>, HashSet<usize>) {
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
                if comment.trim() == DISPLAY_MARKER {
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
