//! A small text file of the user's (the config file): read whole, or written without
//! replacing one that is there unless asked. Where it is and what it holds are the
//! callers'; this is only the file I/O, which belongs to this layer (docs/ARCHITECTURE.md,
//! "Layers").

use std::io::{Read as _, Write as _};
use std::path::Path;

/// Larger than any config file a person writes: a path to a log or a device by mistake is
/// refused rather than read whole.
const MOST: u64 = 1 << 20;

/// Why a user's file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum UserFileError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not UTF-8 text")]
    NotText { path: String },
    #[error("{path}: larger than {MOST} bytes, not a config file")]
    TooLarge { path: String },
    #[error("{path} exists already")]
    Exists { path: String },
}

fn io(path: &Path, source: std::io::Error) -> UserFileError {
    UserFileError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The file's text, or None when there is no file at `path`.
pub fn read_text(path: &Path) -> Result<Option<String>, UserFileError> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(path, e)),
    };
    let mut bytes = Vec::new();
    file.take(MOST + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, e))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MOST {
        return Err(UserFileError::TooLarge {
            path: path.display().to_string(),
        });
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| UserFileError::NotText {
            path: path.display().to_string(),
        })
}

/// Writes `text` to `path`, making its directory. A file already there is an error unless
/// `replace`; then the new text goes to a file beside it that is renamed over it, so that
/// the old file is whole until the new one is.
pub fn write_text(path: &Path, text: &str, replace: bool) -> Result<(), UserFileError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    }
    if !replace {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => UserFileError::Exists {
                    path: path.display().to_string(),
                },
                _ => io(path, e),
            })?;
        return file.write_all(text.as_bytes()).map_err(|e| io(path, e));
    }
    let mut beside = path.as_os_str().to_owned();
    beside.push(format!(".new-{}", std::process::id()));
    let beside = std::path::PathBuf::from(beside);
    let written = std::fs::write(&beside, text).and_then(|()| std::fs::rename(&beside, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&beside);
        return Err(io(path, e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_written_and_not_replaced_unasked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/config.toml");
        assert!(read_text(&path).unwrap().is_none(), "no file: None");
        write_text(&path, "one", false).unwrap();
        assert_eq!(read_text(&path).unwrap().as_deref(), Some("one"));
        let e = write_text(&path, "two", false).unwrap_err();
        assert!(matches!(e, UserFileError::Exists { .. }), "{e}");
        assert_eq!(
            read_text(&path).unwrap().as_deref(),
            Some("one"),
            "untouched"
        );
        write_text(&path, "two", true).unwrap();
        assert_eq!(read_text(&path).unwrap().as_deref(), Some("two"));
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "nothing beside it: {left:?}");
    }

    #[test]
    fn binary_and_huge_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::write(&bin, [0xff, 0xfe, 0]).unwrap();
        assert!(matches!(
            read_text(&bin),
            Err(UserFileError::NotText { .. })
        ));
        let huge = dir.path().join("huge");
        std::fs::write(&huge, vec![b'#'; 2 << 20]).unwrap();
        assert!(matches!(
            read_text(&huge),
            Err(UserFileError::TooLarge { .. })
        ));
        // A directory is an I/O error, said with its path.
        let e = read_text(dir.path()).unwrap_err().to_string();
        assert!(e.starts_with(&dir.path().display().to_string()), "{e}");
    }
}
