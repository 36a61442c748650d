//! A config file's error: the line, the key and what is wrong, so that the one line the
//! command prints sends the reader to the place (`FILE:LINE: KEY: message`, as compilers
//! say it).

/// One error of a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based.
    pub line: usize,
    /// The key as a path, `processes.columns`; empty where none could be told (a file
    /// that is not TOML).
    pub key: String,
    pub message: String,
}

impl ConfigError {
    /// The error as the command says it, naming the file it is in.
    pub fn in_file(&self, file: &str) -> String {
        if self.key.is_empty() {
            format!("{file}:{}: {}", self.line, self.message)
        } else {
            format!("{file}:{}: {}: {}", self.line, self.key, self.message)
        }
    }
}

/// The 1-based line of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text
        .as_bytes()
        .get(..end)
        .unwrap_or_default()
        .iter()
        .filter(|b| **b == b'\n')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_lines() {
        let text = "a = 1\nb = 2\n\nc = 3";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 5), 1, "the newline ends line 1");
        assert_eq!(line_of(text, 6), 2);
        assert_eq!(line_of(text, 13), 4);
        assert_eq!(line_of(text, 999), 4, "past the end: the last line");
    }

    #[test]
    fn the_message_names_file_line_and_key() {
        let e = ConfigError {
            line: 7,
            key: "processes.columns".into(),
            message: "unknown column \"foo\"".into(),
        };
        assert_eq!(
            e.in_file("/home/u/.config/boxtop/config.toml"),
            "/home/u/.config/boxtop/config.toml:7: processes.columns: unknown column \"foo\""
        );
    }
}
