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

#[path = "support/source.rs"]
mod source;

use source::{DISPLAY_MARKER as MARKER, FileScan, Tok, scan_file, scan_tree};
use std::path::Path;

/// The only file that may name the kernel's paths.
const ROOTS: &str = "src/kernel/roots.rs";

#[test]
fn no_kernel_path_outside_roots() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        crate_dir.join(ROOTS).is_file(),
        "{ROOTS} is gone: point ROOTS in tests/kernel_paths.rs at the file that holds the roots"
    );
    let tree = scan_tree(crate_dir, Path::new("src"));
    assert!(
        tree.files.len() > 50,
        "only {} files scanned",
        tree.files.len()
    );
    assert!(!tree.test_only.is_empty(), "no test-only module file found");
    let hits = tree_hits(&tree, Path::new(ROOTS));
    assert!(
        hits.is_empty(),
        "literal /proc or /sys paths outside {ROOTS} (docs/ARCHITECTURE.md, section Roots: join kernel paths \
         through Roots; mark text shown to people that starts with such a path with \
         `// {MARKER}` at the end of its line or alone on the line above):\n{}",
        hits.join("\n")
    );
}

/// `file:line: "literal"` of every hit outside test code and outside `exempt`.
fn tree_hits(tree: &source::SourceTree, exempt: &Path) -> Vec<String> {
    tree.code()
        .filter(|(file, _)| file.as_path() != exempt)
        .flat_map(|(file, scan)| {
            file_hits(scan)
                .into_iter()
                .map(move |(line, lit)| format!("{}:{line}: {lit:?}", file.display()))
        })
        .collect()
}

/// (line, literal) of each kernel path in the file's code that is not marked display text.
fn file_hits(scan: &FileScan) -> Vec<(usize, String)> {
    scan.code
        .iter()
        .filter_map(|(t, line)| match t {
            Tok::Str(lit) if is_kernel_path(lit) && !scan.display.contains(line) => {
                Some((*line, lit.clone()))
            }
            _ => None,
        })
        .collect()
}

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
    file_hits(&scan_file(src))
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
    assert_eq!(file_hits(&scan), vec![(10, "/proc/3".to_string())]);
    let decl = |name: &str, path: Option<&str>| source::ModDecl {
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
    let tree = scan_tree(dir.path(), Path::new("src"));
    assert_eq!(
        tree_hits(&tree, Path::new("src/kernel/roots.rs")),
        vec![r#"src/a/b.rs:1: "/proc/b""#.to_string()]
    );
    let test_only: Vec<&str> = tree.test_only.iter().map(|p| p.to_str().unwrap()).collect();
    assert_eq!(
        test_only,
        ["src/a/pic_tests.rs", "src/t/deeper.rs", "src/t.rs"]
    );
}
