//! The tour's tiny root directory (step 5, chroot): a new directory holding a static
//! busybox as /bin/busybox, the commands the sandbox uses as links to it, and an empty /proc
//! for the new proc a pid and mount namespace mounts there. Made only when the user
//! confirmed it, removed when the tour ends: only what was made here is removed.

use std::io;
use std::path::{Path, PathBuf};

/// The commands linked to busybox: a shell, and what a look around the new root needs.
pub const COMMANDS: [&str; 7] = ["sh", "sleep", "ls", "cat", "ps", "hostname", "mount"];

/// A busybox on PATH (a static one: Debian's busybox-static is; a dynamic one needs its
/// libraries inside the root, which the tour does not copy).
pub fn find_busybox() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("busybox"))
        .find(|p| p.is_file())
}

/// Makes the root at `dir`, which must not exist yet.
pub fn make(dir: &Path, busybox: &Path) -> io::Result<()> {
    std::fs::create_dir(dir)?;
    let bin = dir.join("bin");
    std::fs::create_dir(&bin)?;
    std::fs::create_dir(dir.join("proc"))?;
    std::fs::copy(busybox, bin.join("busybox"))?;
    for c in COMMANDS {
        std::os::unix::fs::symlink("busybox", bin.join(c))?;
    }
    Ok(())
}

/// Removes what [`make`] made, and nothing else: a file someone put there since keeps the
/// directory (and the error says so).
pub fn remove(dir: &Path) -> io::Result<()> {
    let bin = dir.join("bin");
    for c in COMMANDS {
        let _ = std::fs::remove_file(bin.join(c));
    }
    let _ = std::fs::remove_file(bin.join("busybox"));
    let _ = std::fs::remove_dir(&bin);
    let _ = std::fs::remove_dir(dir.join("proc"));
    std::fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_and_removed_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let fake = tmp.path().join("busybox");
        std::fs::write(&fake, b"#!/bin/sh\n").unwrap();
        let root = tmp.path().join("root");
        make(&root, &fake).unwrap();
        assert!(root.join("bin/busybox").is_file());
        assert_eq!(
            std::fs::read_link(root.join("bin/sh")).unwrap(),
            Path::new("busybox")
        );
        assert!(root.join("proc").is_dir());
        assert!(make(&root, &fake).is_err(), "never over an existing one");
        remove(&root).unwrap();
        assert!(!root.exists());
    }

    #[test]
    fn a_stranger_file_keeps_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let fake = tmp.path().join("busybox");
        std::fs::write(&fake, b"x").unwrap();
        let root = tmp.path().join("root");
        make(&root, &fake).unwrap();
        std::fs::write(root.join("theirs"), b"keep").unwrap();
        assert!(remove(&root).is_err());
        assert!(root.join("theirs").is_file());
    }
}
