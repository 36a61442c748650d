//! The dashboard's config file: where it is ($XDG_CONFIG_HOME, --config, --no-config), the
//! settings in force (the defaults, the file, then the flags, which win), and `boxtop
//! config`. Parsing and writing the text are the app's (`app::config`), the file I/O the
//! kernel layer's (`kernel::user_file`). Only the dashboard (live or on a recording) and
//! `boxtop config` read the file: the other commands take their flags alone, so that a
//! broken file never stops `boxtop snapshot`.

use crate::app::config::{self, Config};
use crate::app::theme::ThemeName;
use crate::cli::{Cli, ConfigArgs};
use crate::kernel::user_file::{self, UserFileError};
use std::path::PathBuf;

/// What the command line says of the settings.
pub(super) struct Flags {
    pub(super) file: Option<PathBuf>,
    pub(super) no_config: bool,
    pub(super) interval: Option<f64>,
    pub(super) readonly: bool,
    pub(super) no_readonly: bool,
}

impl Flags {
    pub(super) fn of(cli: &Cli) -> Flags {
        Flags {
            file: cli.config.clone(),
            no_config: cli.no_config,
            interval: cli.interval,
            readonly: cli.readonly,
            no_readonly: cli.no_readonly,
        }
    }
}

/// Why the settings could not be had, and the exit status: 2 where the user is to mend the
/// file or the command line (as clap's usage errors), 1 where the system refused.
pub(super) struct Failure {
    pub(super) message: String,
    pub(super) status: u8,
}

fn usage(message: String) -> Failure {
    Failure { message, status: 2 }
}

impl From<UserFileError> for Failure {
    fn from(e: UserFileError) -> Failure {
        let status = match e {
            UserFileError::Io { .. } => 1,
            _ => 2,
        };
        Failure {
            message: e.to_string(),
            status,
        }
    }
}

/// Where the config file is: --config FILE, else `$XDG_CONFIG_HOME/boxtop/config.toml`
/// (the XDG base directory specification's place for a user's settings), else
/// `~/.config/boxtop/config.toml`; None with neither variable set.
pub(super) fn path(flags: &Flags) -> Option<PathBuf> {
    if let Some(file) = &flags.file {
        return Some(file.clone());
    }
    let dir = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        // The specification: a relative value is to be ignored.
        .filter(|d| d.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(dir.join("boxtop/config.toml"))
}

/// The file's settings over the defaults: no file is the defaults, silently, unless it was
/// named with --config; `missing_ok` (a file --save is about to create) takes the
/// defaults then too.
fn from_file(flags: &Flags, missing_ok: bool) -> Result<Config, Failure> {
    if flags.no_config {
        return Ok(Config::default());
    }
    let Some(path) = path(flags) else {
        return Ok(Config::default());
    };
    match user_file::read_text(&path)? {
        Some(text) => {
            config::parse(&text).map_err(|e| usage(e.in_file(&path.display().to_string())))
        }
        None if flags.file.is_some() && !missing_ok => Err(usage(format!(
            "{}: no such file (named by --config; `boxtop config --save --config {}` writes one)",
            path.display(),
            path.display()
        ))),
        None => Ok(Config::default()),
    }
}

/// The flags over the file's settings: a flag given wins.
fn with_flags(mut config: Config, flags: &Flags) -> Config {
    if let Some(secs) = flags.interval {
        let ms = std::time::Duration::from_secs_f64(secs).as_millis();
        config.interval_ms = u64::try_from(ms).unwrap_or(config.interval_ms);
    }
    if flags.readonly {
        config.readonly = true;
    } else if flags.no_readonly {
        config.readonly = false;
    }
    config
}

/// The settings in force (defaults, file, flags).
pub(super) fn effective(flags: &Flags) -> Result<Config, Failure> {
    Ok(with_flags(from_file(flags, false)?, flags))
}

/// The settings the dashboard draws with: those in force, in monochrome when `NO_COLOR`
/// is set to anything (https://no-color.org: "regardless of its value", but not empty).
/// Not part of what --save writes: it is the environment's, not a setting.
pub(super) fn for_screen(flags: &Flags) -> Result<Config, Failure> {
    let mut config = effective(flags)?;
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        config.theme = config::ThemeConfig {
            name: ThemeName::Monochrome,
            colors: Vec::new(),
        };
    }
    Ok(config)
}

/// `boxtop config`.
pub(super) fn run(flags: &Flags, args: &ConfigArgs) -> Result<(), Failure> {
    let print = |text: String| {
        crate::report::print(text.as_bytes()).map_err(|e| Failure {
            message: e.to_string(),
            status: 1,
        })
    };
    if args.print_default {
        return print(config::default_file());
    }
    let where_ = || {
        path(flags).ok_or_else(|| {
            usage("neither XDG_CONFIG_HOME nor HOME is set: name the file with --config".into())
        })
    };
    if args.path {
        return print(format!("{}\n", where_()?.display()));
    }
    if !args.save {
        return print(effective(flags)?.render());
    }
    let path = where_()?;
    let text = with_flags(from_file(flags, true)?, flags).render();
    match user_file::write_text(&path, &text, args.force) {
        Err(UserFileError::Exists { path }) => Err(usage(format!(
            "{path} exists already: --force replaces it (boxtop config --save --force), or \
             --config FILE saves elsewhere"
        ))),
        Err(e) => Err(e.into()),
        Ok(()) => print(format!(
            "saved the settings in force to {}\n",
            path.display()
        )),
    }
}
