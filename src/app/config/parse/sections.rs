//! The config file's sections, each read into the [`Config`] by the [`Reader`] of
//! `parse.rs`: the top-level keys, `[layout]`, `[processes]`, `[theme]` and `[keys]`.

use super::*;

impl Reader<'_> {
    pub(super) fn top(&mut self, doc: &DeTable<'_>, config: &mut Config) {
        let mut known = schema::names(schema::TOP);
        known.extend(schema::SECTIONS);
        for (key, v) in doc {
            let name = key.get_ref().as_ref();
            match name {
                "interval" => {
                    if let Some(ms) = self.interval(v) {
                        config.interval_ms = ms;
                    }
                }
                "readonly" => {
                    if let Some(b) = self.bool(v, name) {
                        config.readonly = b;
                    }
                }
                "layout" => {
                    if let Some(t) = self.table(v, name) {
                        self.layout(t, config);
                    }
                }
                "processes" => {
                    if let Some(t) = self.table(v, name) {
                        self.processes(t, config);
                    }
                }
                "theme" => {
                    if let Some(t) = self.table(v, name) {
                        self.theme(t, config);
                    }
                }
                "keys" => {
                    if let Some(t) = self.table(v, name) {
                        self.keys(t, config);
                    }
                }
                _ => self.unknown(key, name, &known),
            }
        }
    }

    /// Seconds, as `--interval` takes them: 0.1 to 3600.
    fn interval(&mut self, v: &Value<'_>) -> Option<u64> {
        let key = "interval";
        let secs = match v.get_ref() {
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(secs) => Some(secs),
                Err(_) => {
                    self.error_at(v, key, format!("{f} is not a number of seconds"));
                    None
                }
            },
            DeValue::Integer(_) => self.integer(v, key).map(|n| n as f64),
            _ => {
                self.wrong_type(v, key, "a number of seconds");
                return None;
            }
        }?;
        if !(0.1..=3600.0).contains(&secs) {
            self.error_at(v, key, format!("{secs} is not 0.1 to 3600 seconds"));
            return None;
        }
        u64::try_from(std::time::Duration::from_secs_f64(secs).as_millis()).ok()
    }

    fn layout(&mut self, t: &DeTable<'_>, config: &mut Config) {
        let l = &mut config.layout;
        let mut focus = None;
        let mut table = None;
        let mut focus_names: Vec<(&str, Option<crate::app::state::PaneId>)> = vec![("table", None)];
        focus_names.extend(FOCUS_NAMES.iter().map(|(n, p)| (*n, Some(*p))));
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("layout.{name}");
            let path = path.as_str();
            let sizes = &mut l.sizes;
            let percent = crate::app::geometry::PaneSizes::PERCENT;
            match name {
                "focus" => focus = self.one_of(v, path, "pane", &focus_names),
                "table" => table = self.one_of(v, path, "table", &TABLE_NAMES),
                "timeline" => l.timeline = self.bool(v, path).unwrap_or(l.timeline),
                "zoom" => l.zoom = self.bool(v, path).unwrap_or(l.zoom),
                "top_height" => {
                    sizes.top_height = self.in_range(v, path, percent).unwrap_or(sizes.top_height);
                }
                "table_width" => {
                    sizes.table_width =
                        self.in_range(v, path, percent).unwrap_or(sizes.table_width);
                }
                "namespaces_width" => {
                    sizes.namespaces_width = self
                        .in_range(v, path, percent)
                        .unwrap_or(sizes.namespaces_width);
                }
                "timeline_rows" => {
                    let rows = crate::app::geometry::PaneSizes::TIMELINE_ROWS;
                    sizes.timeline_rows =
                        self.in_range(v, path, rows).unwrap_or(sizes.timeline_rows);
                }
                _ => self.unknown(key, path, &schema::names(schema::LAYOUT)),
            }
        }
        if let Some(table) = table {
            l.table = table;
        }
        // `focus = "table"` (or no focus) focuses whichever table is shown.
        l.focus = focus.flatten().unwrap_or(l.table);
    }

    fn processes(&mut self, t: &DeTable<'_>, config: &mut Config) {
        let p = &mut config.processes;
        let mut sort: Option<(Column, usize)> = None;
        let mut columns_at = None;
        let mut order = None;
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("processes.{name}");
            let path = path.as_str();
            match name {
                "columns" => {
                    if let Some(cols) = self.columns(v, path) {
                        p.columns = cols;
                        columns_at = Some(v.span().start);
                    }
                }
                "sort" => {
                    sort = self
                        .one_of(v, path, "column", &COLUMN_NAMES)
                        .map(|c| (c, v.span().start));
                }
                "sort_order" => {
                    let orders = [("descending", true), ("ascending", false)];
                    order = self.one_of(v, path, "order", &orders);
                }
                "tree" => p.tree = self.bool(v, path).unwrap_or(p.tree),
                "show_kernel_threads" => {
                    p.show_kernel_threads = self.bool(v, path).unwrap_or(p.show_kernel_threads);
                }
                _ => self.unknown(key, path, &schema::names(schema::PROCESSES)),
            }
        }
        if let Some((col, _)) = sort {
            p.sort = col;
        }
        // Left out, the order is the one the sort keys give the column (numbers largest
        // first, names A to Z).
        p.descending = order.unwrap_or_else(|| p.sort.largest_first());
        // The sort column must be on screen: a table sorted by a column it does not show
        // would look unsorted, with no ▲ or ▼ to say why.
        if !p.columns.contains(&p.sort) {
            let sorted = super::super::column_name(p.sort);
            match (sort, columns_at) {
                (Some((_, at)), _) => self.error(
                    at,
                    "processes.sort",
                    format!("{sorted:?} is not among processes.columns"),
                ),
                (None, Some(at)) => self.error(
                    at,
                    "processes.columns",
                    format!(
                        "the table is sorted by {sorted:?}, which is not among these: add it, \
                         or set processes.sort to one of them"
                    ),
                ),
                (None, None) => {}
            }
        }
    }

    fn columns(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Column>> {
        let items = self.array(v, path, "column names")?;
        let mut cols = Vec::new();
        for item in items {
            let col = self.one_of(item, path, "column", &COLUMN_NAMES)?;
            if cols.contains(&col) {
                let name = super::super::column_name(col);
                self.error_at(item, path, format!("column {name:?} is listed twice"));
                return None;
            }
            cols.push(col);
        }
        if cols.is_empty() {
            self.error_at(v, path, "the table needs at least one column");
            return None;
        }
        Some(cols)
    }

    fn theme(&mut self, t: &DeTable<'_>, config: &mut Config) {
        let names: Vec<(&str, ThemeName)> = ThemeName::ALL.iter().map(|n| (n.name(), *n)).collect();
        let slots: Vec<(&str, Slot)> = Slot::ALL.iter().map(|s| (s.name(), *s)).collect();
        let mut first_color = None;
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("theme.{name}");
            let path = path.as_str();
            if name == "name" {
                if let Some(n) = self.one_of(v, path, "theme", &names) {
                    config.theme.name = n;
                }
                continue;
            }
            let Some(slot) = slots.iter().find(|(n, _)| *n == name).map(|(_, s)| *s) else {
                let mut known = vec!["name"];
                known.extend(slots.iter().map(|(n, _)| *n));
                self.unknown(key, path, &known);
                continue;
            };
            let color = match v.get_ref() {
                DeValue::String(s) => theme::parse_color(s),
                DeValue::Integer(_) => match self.integer(v, path) {
                    Some(n) => theme::color_index(n),
                    None => continue,
                },
                _ => {
                    self.wrong_type(v, path, "a colour");
                    continue;
                }
            };
            match color {
                Ok(c) => {
                    config.theme.colors.push((slot, c));
                    first_color = first_color.or(Some((v.span().start, path.to_string())));
                }
                Err(e) => self.error_at(v, path, e),
            }
        }
        config
            .theme
            .colors
            .sort_by_key(|(slot, _)| Slot::ALL.iter().position(|s| s == slot));
        if config.theme.name == ThemeName::Monochrome
            && let Some((at, path)) = first_color
        {
            self.error(
                at,
                &path,
                "the monochrome theme has no colours: leave the colour out, or choose the \
                 default or light theme",
            );
        }
    }

    fn keys(&mut self, t: &DeTable<'_>, config: &mut Config) {
        // Where each rebound command was given, to name the line of a conflict.
        let mut given: Vec<(Command, usize, String)> = Vec::new();
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("keys.{name}");
            let Some(command) = commands::command_by_name(name) else {
                let known: Vec<&str> = commands::COMMANDS.iter().map(|(n, _, _)| *n).collect();
                self.error(
                    key.span().start,
                    &path,
                    format!("unknown command (known: {})", join(&known)),
                );
                continue;
            };
            let Some(keys) = self.key_list(v, &path) else {
                continue;
            };
            if keys.is_empty() && command == Command::Quit {
                self.error_at(
                    v,
                    &path,
                    "quit needs at least one key (else only a signal would end the dashboard)",
                );
                continue;
            }
            config.keys.rebind(command, keys);
            given.push((command, v.span().start, path));
        }
        let Some(c) = config.keys.first_conflict() else {
            return;
        };
        // Told on the line of the command the file gave the key to (the later one if the
        // file gave it to both).
        let place = |cmd: Command| given.iter().find(|(c, _, _)| *c == cmd);
        let Some((_, at, path)) = place(c.second).or_else(|| place(c.first)).cloned() else {
            return;
        };
        let (first, second) = (commands::name_of(c.first), commands::name_of(c.second));
        let (k1, k2) = (
            keys::names::config_name(&c.key),
            keys::names::config_name(&c.other_key),
        );
        let message = if c.key == c.other_key {
            format!("{k1:?} is bound twice, to {first} and to {second}")
        } else {
            format!(
                "{k1:?} ({first}) and {k2:?} ({second}) would both match with both modifiers \
                 held: one of them must hold every modifier the other holds"
            )
        };
        let hint = [c.first, c.second]
            .into_iter()
            .find(|cmd| place(*cmd).is_none())
            .map(|cmd| {
                format!(
                    "; give {} other keys too ([keys] {} = [...])",
                    commands::name_of(cmd),
                    commands::name_of(cmd)
                )
            })
            .unwrap_or_default();
        self.error(at, &path, message + &hint);
    }

    /// A list of keys, or one key alone.
    fn key_list(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Key>> {
        let one = std::slice::from_ref(v);
        let items: &[Value<'_>] = match v.get_ref() {
            DeValue::String(_) => one,
            DeValue::Array(items) => items,
            _ => {
                self.wrong_type(v, path, "a list of keys (\"q\", \"ctrl-c\", \"f10\")");
                return None;
            }
        };
        let mut keys: Vec<Key> = Vec::new();
        for item in items {
            let text = self.string(item, path, "a key (\"q\", \"ctrl-c\", \"f10\")")?;
            let key = match keys::names::parse(text) {
                Ok(k) => k,
                Err(e) => {
                    self.error_at(item, path, e);
                    return None;
                }
            };
            if keys.contains(&key) {
                self.error_at(item, path, format!("{text:?} is listed twice"));
                return None;
            }
            keys.push(key);
        }
        Some(keys)
    }
}
