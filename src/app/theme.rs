//! The themes as data: each one's colour for each thing the views colour (a [`Slot`]), the
//! names the config file gives them, and the colours the file can override. How a colour
//! is drawn (bold, reversed, what monochrome shows instead) is the views' (`ui::theme`).
//! Here, below the views, because the config (which names themes and slots) and the state
//! (which holds the theme in force) are the app's.

use crate::model::MappingKind;
use ratatui::style::Color;

/// The themes boxtop has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    /// The colours boxtop always had, for dark terminals.
    Default,
    /// For light backgrounds: dark text, no white, gray or yellow on the terminal's own
    /// background.
    Light,
    /// No colour at all: what colours said is said with bold, reverse and underline.
    /// `NO_COLOR` forces it (https://no-color.org).
    Monochrome,
}

impl ThemeName {
    pub const ALL: [ThemeName; 3] = [ThemeName::Default, ThemeName::Light, ThemeName::Monochrome];

    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Default => "default",
            ThemeName::Light => "light",
            ThemeName::Monochrome => "monochrome",
        }
    }
}

/// What a colour of the theme colours; the config file's key for it is [`Slot::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Accent,
    Border,
    Title,
    SelectionFg,
    SelectionBg,
    HeadingFg,
    HeadingBg,
    KeyFg,
    KeyBg,
    Changed,
    Note,
    Warn,
    Dim,
    NsNew,
    NsHost,
    Hierarchy,
    HoldsSelected,
}

impl Slot {
    pub const ALL: [Slot; 17] = [
        Slot::Accent,
        Slot::Border,
        Slot::Title,
        Slot::SelectionFg,
        Slot::SelectionBg,
        Slot::HeadingFg,
        Slot::HeadingBg,
        Slot::KeyFg,
        Slot::KeyBg,
        Slot::Changed,
        Slot::Note,
        Slot::Warn,
        Slot::Dim,
        Slot::NsNew,
        Slot::NsHost,
        Slot::Hierarchy,
        Slot::HoldsSelected,
    ];

    /// The config file's key, and what it colours (the file's comment).
    pub fn describe(self) -> (&'static str, &'static str) {
        match self {
            Slot::Accent => (
                "accent",
                "the focused pane's border and title, the help's keys",
            ),
            Slot::Border => ("border", "the other panes' borders"),
            Slot::Title => ("title", "the other panes' titles"),
            Slot::SelectionFg => ("selection_fg", "the selected row's text, focused pane"),
            Slot::SelectionBg => (
                "selection_bg",
                "the selected row's background, focused pane",
            ),
            Slot::HeadingFg => ("heading_fg", "column headings' text"),
            Slot::HeadingBg => ("heading_bg", "column headings' background"),
            Slot::KeyFg => ("key_fg", "the keys on the key bar, text"),
            Slot::KeyBg => ("key_bg", "the keys on the key bar, background"),
            Slot::Changed => ("changed", "values that changed since the last refresh"),
            Slot::Note => ("note", "notes in the action windows"),
            Slot::Warn => ("warn", "errors, cautions, frozen processes"),
            Slot::Dim => ("dim", "hints, kernel threads, unused address ranges"),
            Slot::NsNew => ("ns_new", "namespaces that are not the host's"),
            Slot::NsHost => ("ns_host", "the host's namespaces"),
            Slot::Hierarchy => ("hierarchy", "the cgroup tree's hierarchy headings"),
            Slot::HoldsSelected => ("holds_selected", "cgroups of the selected process"),
        }
    }

    pub fn name(self) -> &'static str {
        self.describe().0
    }

    fn index(self) -> usize {
        Slot::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// The theme in force: a named theme's colours, maybe with some of them overridden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub name: ThemeName,
    colors: [Color; Slot::ALL.len()],
}

impl Default for Theme {
    fn default() -> Self {
        Theme::named(ThemeName::Default)
    }
}

impl Theme {
    pub fn named(name: ThemeName) -> Theme {
        Theme {
            name,
            colors: Slot::ALL.map(|slot| base(name, slot)),
        }
    }

    pub fn color(&self, slot: Slot) -> Color {
        self.colors
            .get(slot.index())
            .copied()
            .unwrap_or(Color::Reset)
    }

    /// Overrides one colour (monochrome has none to override: the config refuses it).
    pub fn set(&mut self, slot: Slot, color: Color) {
        if let Some(c) = self.colors.get_mut(slot.index()) {
            *c = color;
        }
    }

    pub fn monochrome(&self) -> bool {
        self.name == ThemeName::Monochrome
    }

    /// The colour of a kind of mapping in the memory map's list and picture.
    pub fn mapping(&self, kind: MappingKind) -> Color {
        match self.name {
            ThemeName::Default => match kind {
                MappingKind::Text => Color::Red,
                MappingKind::Data => Color::LightRed,
                MappingKind::Heap => Color::Yellow,
                MappingKind::Anonymous => Color::Gray,
                MappingKind::Library => Color::Blue,
                MappingKind::File => Color::Cyan,
                MappingKind::Shared => Color::Magenta,
                MappingKind::Stack => Color::Green,
                MappingKind::Special => Color::LightMagenta,
                MappingKind::KernelHalf => Color::DarkGray,
            },
            // Darker ones where the default's would fade on white (256-colour indices:
            // 130 is a brown, 30 a dark cyan, 90 a dark magenta, 244 a grey).
            ThemeName::Light => match kind {
                MappingKind::Text => Color::Red,
                MappingKind::Data => Color::LightRed,
                MappingKind::Heap => Color::Indexed(130),
                MappingKind::Anonymous => Color::DarkGray,
                MappingKind::Library => Color::Blue,
                MappingKind::File => Color::Indexed(30),
                MappingKind::Shared => Color::Magenta,
                MappingKind::Stack => Color::Green,
                MappingKind::Special => Color::Indexed(90),
                MappingKind::KernelHalf => Color::Indexed(244),
            },
            ThemeName::Monochrome => Color::Reset,
        }
    }
}

/// Each theme's own colour for each slot. `Color::Reset` is the terminal's own colour.
fn base(name: ThemeName, slot: Slot) -> Color {
    use Color::*;
    match name {
        ThemeName::Default => match slot {
            Slot::Accent => Cyan,
            Slot::Border | Slot::Dim => DarkGray,
            Slot::Title => Gray,
            Slot::SelectionFg | Slot::HeadingFg | Slot::KeyFg => Black,
            Slot::SelectionBg | Slot::KeyBg => Cyan,
            Slot::HeadingBg | Slot::NsHost => Green,
            Slot::Changed | Slot::Note | Slot::Hierarchy => Yellow,
            Slot::Warn => Red,
            Slot::NsNew => Magenta,
            Slot::HoldsSelected => LightCyan,
        },
        ThemeName::Light => match slot {
            Slot::Accent | Slot::SelectionBg | Slot::KeyBg | Slot::Hierarchy => Blue,
            Slot::HoldsSelected | Slot::Note => Indexed(25),
            Slot::Border | Slot::Dim => DarkGray,
            Slot::Title | Slot::HeadingFg => Black,
            Slot::SelectionFg | Slot::KeyFg => White,
            Slot::HeadingBg => LightGreen,
            Slot::Changed | Slot::NsNew => Magenta,
            Slot::Warn => Red,
            Slot::NsHost => Green,
        },
        ThemeName::Monochrome => Reset,
    }
}

/// The colour names the config file takes (`"dark_gray"`, `"light_red"`), the ANSI 16 and
/// the terminal's own. `-`, `_` and spaces are ignored, and `grey` is `gray`.
const COLOR_NAMES: &[(&str, Color)] = &[
    ("default", Color::Reset),
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark_gray", Color::DarkGray),
    ("light_red", Color::LightRed),
    ("light_green", Color::LightGreen),
    ("light_yellow", Color::LightYellow),
    ("light_blue", Color::LightBlue),
    ("light_magenta", Color::LightMagenta),
    ("light_cyan", Color::LightCyan),
    ("white", Color::White),
];

/// What the config file takes for a colour, for error messages.
pub const COLOR_SYNTAX: &str = "a name (default, black, red, green, yellow, blue, magenta, cyan, \
    gray, dark_gray, light_red, light_green, light_yellow, light_blue, light_magenta, \
    light_cyan, white), \"#rrggbb\", or a number 0 to 255";

/// A colour as the config file writes it: its name, `#rrggbb`, or its 256-colour index.
pub fn color_name(color: Color) -> String {
    if let Some((name, _)) = COLOR_NAMES.iter().find(|(_, c)| *c == color) {
        return (*name).to_string();
    }
    match color {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
        other => format!("{other}").to_lowercase(),
    }
}

/// A colour from the config file's spelling (a name or `#rrggbb`; numbers are TOML
/// integers, see [`color_index`]).
pub fn parse_color(text: &str) -> Result<Color, String> {
    let squeezed: String = text
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("grey", "gray");
    if let Some((_, c)) = COLOR_NAMES
        .iter()
        .find(|(name, _)| name.replace('_', "") == squeezed)
    {
        return Ok(*c);
    }
    if let Some(hex) = squeezed.strip_prefix('#').filter(|h| h.len() == 6) {
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        };
        if let (Some(r), Some(g), Some(b)) = (byte(0), byte(2), byte(4)) {
            return Ok(Color::Rgb(r, g, b));
        }
    }
    // A number written as a string is taken as TOML would take it bare.
    if let Ok(n) = squeezed.parse::<i64>() {
        return color_index(n);
    }
    Err(format!(
        "unknown colour {text:?} (a colour is {COLOR_SYNTAX})"
    ))
}

/// A 256-colour index.
pub fn color_index(n: i64) -> Result<Color, String> {
    u8::try_from(n)
        .map(Color::Indexed)
        .map_err(|_| format!("colour {n} is not 0 to 255"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_round_trip_through_their_names() {
        let mut every: Vec<Color> = COLOR_NAMES.iter().map(|(_, c)| *c).collect();
        every.extend([Color::Rgb(1, 0xab, 255), Color::Indexed(130)]);
        for c in every {
            assert_eq!(parse_color(&color_name(c)), Ok(c), "{c:?}");
        }
        assert_eq!(parse_color("Dark-Grey"), Ok(Color::DarkGray));
        assert_eq!(parse_color("#FFa000"), Ok(Color::Rgb(255, 160, 0)));
        assert!(parse_color("#12345").is_err());
        assert!(parse_color("purple").unwrap_err().contains("light_cyan"));
        assert!(color_index(256).is_err());
    }

    /// The light theme writes no white, gray or yellow text on the terminal's background:
    /// the slots drawn as plain text (not on a background of their own) are dark.
    #[test]
    fn the_light_theme_has_no_pale_text_on_the_terminals_background() {
        let light = Theme::named(ThemeName::Light);
        let pale = [
            Color::White,
            Color::Gray,
            Color::Yellow,
            Color::LightYellow,
            Color::LightCyan,
            Color::LightGreen,
        ];
        let on_own_background = [Slot::SelectionFg, Slot::KeyFg, Slot::HeadingFg];
        for slot in Slot::ALL {
            if on_own_background.contains(&slot) || slot.name().ends_with("_bg") {
                continue;
            }
            assert!(
                !pale.contains(&light.color(slot)),
                "{}: {:?}",
                slot.name(),
                light.color(slot)
            );
        }
        use MappingKind::*;
        for kind in [
            Text, Data, Heap, Anonymous, Library, File, Shared, Stack, Special,
        ] {
            assert!(!pale.contains(&light.mapping(kind)), "{kind:?}");
        }
    }

    #[test]
    fn monochrome_has_no_colour() {
        let m = Theme::named(ThemeName::Monochrome);
        assert!(Slot::ALL.iter().all(|s| m.color(*s) == Color::Reset));
    }
}
