//! Every key of the file, by section, with the one line the file says of it, in the file's
//! order: the parser knows these keys and no other, and the written file says each (the
//! tests hold both to this list). `[keys]` takes the commands' names (`commands.rs`),
//! `[theme]` its name and the colour slots (`app::theme::Slot`).

/// Keys at the top of the file, before any section.
pub(super) const TOP: &[(&str, &str)] = &[
    (
        "interval",
        "seconds between two refreshes, 0.1 to 3600 (as --interval)",
    ),
    (
        "readonly",
        "refuse every action: freeze, thaw, limits, move, signals, unshare (as --readonly; \
         --no-readonly overrides it)",
    ),
];

/// Sections, in the file's order.
pub(super) const SECTIONS: [&str; 4] = ["layout", "processes", "theme", "keys"];

pub(super) const LAYOUT: &[(&str, &str)] = &[
    (
        "focus",
        "the pane focused at start: table (the one below), memory_map, namespaces, cgroups \
         or timeline",
    ),
    (
        "table",
        "the table in the top left at start: processes or containers",
    ),
    (
        "timeline",
        "show the timeline from the start (it opens by itself at an OOM kill, a limit hit, a \
         freeze or an action)",
    ),
    ("zoom", "start with the focused pane zoomed to full screen"),
    (
        "top_height",
        "percent of the height for the top row (the table, the memory map), 10 to 90",
    ),
    (
        "table_width",
        "percent of the top row's width for the table, 10 to 90",
    ),
    (
        "namespaces_width",
        "percent of the bottom row's width for the namespaces pane (the cgroups get the rest), \
         10 to 90",
    ),
    (
        "timeline_rows",
        "rows of events the timeline shows while another pane has the focus, 1 to 20",
    ),
];

pub(super) const PROCESSES: &[(&str, &str)] = &[
    (
        "columns",
        "the process table's columns, in order: pid, user, state, cpu, rss, threads, ctxt \
         (context switches), ns (namespaces not the host's), cgroup, command",
    ),
    ("sort", "sort by this column (one of the columns shown)"),
    (
        "sort_order",
        "descending (largest first) or ascending; left out: what the sort keys give the column",
    ),
    ("tree", "tree view by parent process"),
    ("show_kernel_threads", "show kernel threads"),
];

/// `[theme]`'s own key; the colour slots follow it.
pub(super) const THEME_NAME: (&str, &str) = (
    "name",
    "default, light (for light backgrounds) or monochrome (no colour; NO_COLOR forces it)",
);

/// What a colour is in the file, said once before the slots.
pub(super) const THEME_COLORS: &str = "Colours over the theme's (not monochrome's): a name (red, \
    dark_gray, light_blue, default, ...), \"#rrggbb\" or 0 to 255. Unset: the theme's own.";

/// What a key is in the file, said once at the top of `[keys]`.
pub(super) const KEYS_HEAD: &[&str] = &[
    "Each command's keys; a list given replaces the command's own. A key is a character (\"q\",",
    "\"G\", \"?\"), f1 to f12, tab, shift-tab, enter, esc, space, up, down, left, right, pgup, pgdn,",
    "home, end, backspace, delete or insert, maybe after ctrl-, alt- or shift-. A key bound to",
    "two commands is an error. In a recording (boxtop replay) [ ] { } t, Space and Left/Right step",
    "and play first.",
];

pub(super) fn names(keys: &[(&'static str, &str)]) -> Vec<&'static str> {
    keys.iter().map(|(k, _)| *k).collect()
}
