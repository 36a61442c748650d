//! Errors of the kernel readers, each with the path it concerns.

use crate::model::Access;
use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum KernelError {
    /// ENOENT/ESRCH/ENODEV: the process or cgroup went away mid-read. Normal; skip it.
    #[error("{}: no longer exists", path.display())]
    Gone { path: PathBuf },
    /// EACCES/EPERM.
    #[error("{}: permission denied", path.display())]
    Denied { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{}: cannot parse {what}", path.display())]
    Parse { path: PathBuf, what: String },
    /// A root given on the command line does not look like procfs or cgroupfs.
    #[error("{}: {why}", path.display())]
    NotATree { path: PathBuf, why: String },
    #[error("no process with pid {pid}")]
    NoSuchProcess { pid: i32 },
}

impl KernelError {
    /// Sorts an I/O error into gone / denied / other (docs/ARCHITECTURE.md, "Gone and denied").
    pub fn from_io(path: impl Into<PathBuf>, err: io::Error) -> Self {
        let path = path.into();
        match err.raw_os_error() {
            Some(libc::ENOENT | libc::ESRCH | libc::ENODEV) => KernelError::Gone { path },
            Some(libc::EACCES | libc::EPERM) => KernelError::Denied { path },
            _ => match err.kind() {
                io::ErrorKind::NotFound => KernelError::Gone { path },
                io::ErrorKind::PermissionDenied => KernelError::Denied { path },
                _ => KernelError::Io { path, source: err },
            },
        }
    }

    pub fn parse(path: impl Into<PathBuf>, what: impl Into<String>) -> Self {
        KernelError::Parse {
            path: path.into(),
            what: what.into(),
        }
    }

    /// How this error shows in the model.
    pub fn access(&self) -> Access {
        match self {
            KernelError::Denied { .. } => Access::Denied,
            _ => Access::Gone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_classes() {
        let gone = KernelError::from_io("/x", io::Error::from_raw_os_error(libc::ESRCH));
        assert!(matches!(gone, KernelError::Gone { .. }));
        let denied = KernelError::from_io("/x", io::Error::from_raw_os_error(libc::EACCES));
        assert_eq!(denied.access(), Access::Denied);
        let other = KernelError::from_io("/x", io::Error::from_raw_os_error(libc::EIO));
        assert!(matches!(other, KernelError::Io { .. }));
        assert!(other.to_string().starts_with("/x: "));
    }
}
