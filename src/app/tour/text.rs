//! The tour's words, one data file per language under `assets/tour/` (compiled in, parsed
//! once). English is the default; Simplified Chinese, the talk's own language, is `--lang zh`
//! or a `LANG` that starts with `zh`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const EN: &str = include_str!("../../../assets/tour/en.toml");
const ZH: &str = include_str!("../../../assets/tour/zh.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `en` or `zh` (also `zh_CN.UTF-8`, `zh-Hans`: what a locale or --lang may say).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") || s == "c" || s == "posix" || s.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the locale variables, in POSIX's order of precedence (LC_ALL, LC_MESSAGES,
    /// LANG); English when none names a language the tour has.
    pub fn from_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| var(v).filter(|s| !s.is_empty()))
            .find_map(|s| Lang::parse(&s))
            .unwrap_or(Lang::En)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => EN,
            Lang::Zh => ZH,
        }
    }
}

/// The panel's words the code asks for; each language file has exactly these under `[ui]`
/// (tests/tour_text.rs).
pub const UI_KEYS: &[&str] = &[
    "title",
    "step",
    "keys",
    "keys_last",
    "keys_idle",
    "shell",
    "file",
    "live",
    "demo_running",
    "demo_none",
    "same",
    "new",
    "host",
    "sandbox",
    "gaps_title",
    "start",
    "end",
    "size",
    "segments_title",
    "user_top",
    "no_map",
    "threads_none",
    "thread_rows",
    "hierarchies_title",
    "task_title",
    "layout_title",
    "kinds_title",
    "side_title",
    "sandbox_facts",
    "root_fact",
    "container_none",
    "container_title",
    "cleanup",
    "make_root",
    "limit_sandbox",
];

/// One language's text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TourText {
    pub lang: String,
    /// The panel's words, by key (`step`, `keys`, ...), with `{name}` holes.
    pub ui: BTreeMap<String, String>,
    pub steps: Vec<StepText>,
    /// One line per cgroup controller (and `named` for a hierarchy without one).
    pub subsystems: BTreeMap<String, String>,
    /// One line per namespace kind, by its file name under /proc/PID/ns.
    pub namespaces: BTreeMap<String, String>,
    /// The cgroup demo's stages, by name.
    pub cgroup_demo: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepText {
    pub id: String,
    pub title: String,
    pub body: String,
    pub shell: String,
    pub file: String,
    pub demo: String,
}

impl TourText {
    /// A panel word with its holes filled: `t.ui("step", &[("n", "1"), ("total", "6")])`.
    /// A key the file lacks shows as itself (the tests make sure none is lacking).
    pub fn ui(&self, key: &str, holes: &[(&str, &str)]) -> String {
        debug_assert!(UI_KEYS.contains(&key), "tour text key {key} not in UI_KEYS");
        fill(self.ui.get(key).map_or(key, String::as_str), holes)
    }

    pub fn subsystem(&self, controller: &str) -> &str {
        self.subsystems.get(controller).map_or("", String::as_str)
    }

    pub fn namespace(&self, kind: &str) -> &str {
        self.namespaces.get(kind).map_or("", String::as_str)
    }

    pub fn cgroup_stage<'a>(&'a self, stage: &'a str) -> &'a str {
        self.cgroup_demo.get(stage).map_or(stage, String::as_str)
    }
}

/// A body as the panel wraps it: the file's lines joined into paragraphs (a blank line
/// ends one), with a space between two lines of Latin text and none between lines of CJK,
/// which is written without spaces.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in body.lines().map(str::trim) {
        if line.is_empty() {
            open = false;
            continue;
        }
        match out.last_mut() {
            Some(p) if open => {
                let cjk = |c: Option<char>| {
                    c.is_some_and(|c| unicode_width::UnicodeWidthChar::width(c) == Some(2))
                };
                if !(cjk(p.chars().last()) || cjk(line.chars().next())) {
                    p.push(' ');
                }
                p.push_str(line);
            }
            _ => out.push(line.to_string()),
        }
        open = true;
    }
    out
}

/// `{name}` holes replaced by their values; unknown holes are left as they are.
pub fn fill(text: &str, holes: &[(&str, &str)]) -> String {
    holes.iter().fold(text.to_string(), |t, (name, value)| {
        t.replace(&format!("{{{name}}}"), value)
    })
}

/// The parsed text of `lang`. The files are compiled in and checked by the tests, so an
/// error here is a build that shipped a broken file: it is said, not panicked on.
pub fn text(lang: Lang) -> Result<&'static TourText, String> {
    static EN_TEXT: OnceLock<Result<TourText, String>> = OnceLock::new();
    static ZH_TEXT: OnceLock<Result<TourText, String>> = OnceLock::new();
    let cell = match lang {
        Lang::En => &EN_TEXT,
        Lang::Zh => &ZH_TEXT,
    };
    cell.get_or_init(|| parse(lang.source()))
        .as_ref()
        .map_err(Clone::clone)
}

pub fn parse(source: &str) -> Result<TourText, String> {
    toml::from_str(source).map_err(|e| format!("the tour's text: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_from_flags_and_locales() {
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr_FR"), None);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(
            Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")])),
            Lang::En,
            "LC_ALL wins"
        );
        assert_eq!(Lang::from_locale(env(&[("LANG", "fr_FR")])), Lang::En);
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
    }

    #[test]
    fn bodies_become_paragraphs() {
        assert_eq!(
            paragraphs("one\ntwo\n\nthree"),
            vec!["one two".to_string(), "three".to_string()]
        );
        assert_eq!(paragraphs("进程\n地址"), vec!["进程地址".to_string()]);
        assert_eq!(paragraphs("\n\n"), Vec::<String>::new());
    }

    #[test]
    fn holes_are_filled() {
        assert_eq!(
            fill("step {n} of {total}", &[("n", "2"), ("total", "6")]),
            "step 2 of 6"
        );
        assert_eq!(fill("{x} stays", &[]), "{x} stays");
    }
}
