//! The control files boxtop reads, as a bit set built from one readdir, and a reader that
//! reuses one buffer for all of them.
//!
//! A poll runs every second over every cgroup, so we never try to open a file that is not
//! there: the directory listing says which controllers are active (a v2 cgroup only has
//! `memory.*` when memory is enabled in its parent's cgroup.subtree_control; a v1 hierarchy
//! only has the files of the controllers bound to it).

use crate::kernel::KernelError;
use crate::kernel::kept_file::{Kept, KeptFile, read_at_start};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

macro_rules! control_files {
    ($($variant:ident = $name:literal,)*) => {
        /// A control file boxtop knows how to read.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[repr(u8)]
        pub enum Ctl { $($variant,)* }

        impl Ctl {
            pub fn name(self) -> &'static str {
                match self { $(Ctl::$variant => $name,)* }
            }

            pub fn from_name(name: &[u8]) -> Option<Ctl> {
                match name { $(n if n == $name.as_bytes() => Some(Ctl::$variant),)* _ => None }
            }
        }
    };
}

control_files! {
    Procs = "cgroup.procs",
    Events = "cgroup.events",
    Freeze = "cgroup.freeze",
    Controllers = "cgroup.controllers",
    MemCurrent = "memory.current",
    MemMax = "memory.max",
    MemHigh = "memory.high",
    MemPeak = "memory.peak",
    MemSwapCurrent = "memory.swap.current",
    MemEvents = "memory.events",
    MemEventsLocal = "memory.events.local",
    MemSwapEvents = "memory.swap.events",
    CpuStat = "cpu.stat",
    CpuMax = "cpu.max",
    CpuWeight = "cpu.weight",
    PidsCurrent = "pids.current",
    PidsMax = "pids.max",
    PidsEvents = "pids.events",
    CpusetCpus = "cpuset.cpus",
    CpusetMems = "cpuset.mems",
    CpusetCpusEffective = "cpuset.cpus.effective",
    CpusetMemsEffective = "cpuset.mems.effective",
    CpuPressure = "cpu.pressure",
    MemPressure = "memory.pressure",
    IoPressure = "io.pressure",
    // cgroup v1 (https://docs.kernel.org/admin-guide/cgroup-v1/)
    V1MemUsage = "memory.usage_in_bytes",
    V1MemLimit = "memory.limit_in_bytes",
    V1MemMaxUsage = "memory.max_usage_in_bytes",
    V1MemFailcnt = "memory.failcnt",
    V1MemOomControl = "memory.oom_control",
    V1CpuacctUsage = "cpuacct.usage",
    V1CpuacctUsageUser = "cpuacct.usage_user",
    V1CpuacctUsageSys = "cpuacct.usage_sys",
    V1CpuacctStat = "cpuacct.stat",
    V1CfsQuota = "cpu.cfs_quota_us",
    V1CfsPeriod = "cpu.cfs_period_us",
    V1CpuShares = "cpu.shares",
    V1FreezerState = "freezer.state",
    V1FreezerSelf = "freezer.self_freezing",
    V1FreezerParent = "freezer.parent_freezing",
    V1CpusetEffectiveCpus = "cpuset.effective_cpus",
    V1CpusetEffectiveMems = "cpuset.effective_mems",
}

// The bit set below holds one bit per variant: the last one must stay below 64.
const _: () = assert!((Ctl::V1CpusetEffectiveMems as u8) < 64);

/// Which [`Ctl`] files a cgroup directory has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Present(u64);

impl Present {
    /// Every file.
    pub const ALL: Present = Present(u64::MAX);
    /// No file.
    pub const NONE: Present = Present(0);

    /// The set of `files`.
    pub fn of(files: &[Ctl]) -> Present {
        let mut p = Present::NONE;
        for c in files {
            p.insert(*c);
        }
        p
    }

    /// The files in both sets.
    pub fn and(self, other: Present) -> Present {
        Present(self.0 & other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn insert(&mut self, c: Ctl) {
        self.0 |= 1u64 << (c as u8);
    }

    pub fn has(self, c: Ctl) -> bool {
        self.0 & (1u64 << (c as u8)) != 0
    }
}

/// Reads small files into one reusable buffer. A reader made with [`FileReader::keeping`]
/// also keeps each control file it opens (within the process-wide budget of
/// [`KeptFile`]) and re-reads it with pread: a collector that walks the same cgroups every
/// second then costs no path lookup, open or close for them. Files not read during a pass
/// ([`FileReader::begin_pass`] to [`FileReader::end_pass`]) are closed at its end, so a
/// removed cgroup's files are held one pass at most.
#[derive(Debug, Default)]
pub struct FileReader {
    buf: Vec<u8>,
    path: PathBuf,
    /// The files kept open, by path, with the pass that last read each.
    kept: Option<HashMap<PathBuf, (KeptFile, u32)>>,
    /// Likewise for the directories listed.
    dirs: HashMap<PathBuf, (Kept<nix::dir::Dir>, u32)>,
    /// The hierarchies, while the mount table stays the same (a keeping reader's).
    pub(super) discovery: Option<super::mode::Discovery>,
    pass: u32,
}

/// One entry of a directory listing: its name and whether it is a directory (else a file;
/// other kinds are not listed).
pub struct DirEntry<'a> {
    pub name: &'a [u8],
    pub is_dir: bool,
}

impl FileReader {
    pub fn new() -> Self {
        FileReader {
            buf: Vec::with_capacity(4096),
            path: PathBuf::new(),
            kept: None,
            dirs: HashMap::new(),
            discovery: None,
            pass: 0,
        }
    }

    /// A reader that keeps the files it opens through [`FileReader::read_in`].
    pub fn keeping() -> Self {
        FileReader {
            kept: Some(HashMap::new()),
            ..FileReader::new()
        }
    }

    /// Starts a pass over the cgroups (see [`FileReader::end_pass`]).
    pub fn begin_pass(&mut self) {
        self.pass = self.pass.wrapping_add(1);
    }

    /// Closes the kept files that the pass did not read: their cgroup is gone, or no longer
    /// read.
    pub fn end_pass(&mut self) {
        let pass = self.pass;
        if let Some(kept) = &mut self.kept {
            kept.retain(|_, (_, read)| *read == pass);
        }
        self.dirs.retain(|_, (_, read)| *read == pass);
    }

    /// Hands each entry of `dir` to `each` (d_type from the readdir: no stat per entry, as
    /// kernfs fills it in). A keeping reader keeps the directory open and rewinds it: a
    /// removed cgroup's kept directory lists nothing, which no live cgroup does (it always
    /// has cgroup.procs), so an empty listing is tried again by path.
    pub fn list_dir(
        &mut self,
        dir: &Path,
        each: &mut dyn FnMut(DirEntry<'_>),
    ) -> Result<(), KernelError> {
        let pass = self.pass;
        if let Some((d, read)) = self.dirs.get_mut(dir) {
            if list_open(d.get_mut(), each) > 0 {
                *read = pass;
                return Ok(());
            }
            self.dirs.remove(dir);
        }
        let mode = nix::sys::stat::Mode::empty();
        let flags = nix::fcntl::OFlag::O_RDONLY
            | nix::fcntl::OFlag::O_DIRECTORY
            | nix::fcntl::OFlag::O_CLOEXEC;
        let mut d = nix::dir::Dir::open(dir, flags, mode)
            .map_err(|e| KernelError::from_io(dir, std::io::Error::from(e)))?;
        list_open(&mut d, each);
        if self.kept.is_some()
            && let Some(d) = Kept::keep(d)
        {
            self.dirs.insert(dir.to_path_buf(), (d, pass));
        }
        Ok(())
    }

    /// How many files and directories the reader holds open.
    pub fn kept_files(&self) -> usize {
        self.kept.as_ref().map_or(0, HashMap::len) + self.dirs.len()
    }

    /// Whether the reader keeps files open between passes.
    pub fn keeps(&self) -> bool {
        self.kept.is_some()
    }

    /// Whether the reader holds `dir` or anything inside it open.
    pub fn holds_under(&self, dir: &Path) -> bool {
        let files = self.kept.iter().flat_map(HashMap::keys);
        files.chain(self.dirs.keys()).any(|p| p.starts_with(dir))
    }

    /// The content of `path`; valid until the next read.
    pub fn read(&mut self, path: &Path) -> Result<&[u8], KernelError> {
        self.buf.clear();
        std::fs::File::open(path)
            .and_then(|mut f| f.read_to_end(&mut self.buf))
            .map_err(|e| KernelError::from_io(path, e))?;
        Ok(&self.buf)
    }

    /// The content of `dir/name`, never kept open: for a file whose open descriptor gives
    /// old text. A v1 member list (`cgroup.procs`, `tasks`) is built once per descriptor and
    /// kept about a second after each read (`cgroup_pidlist_start` and
    /// CGROUP_PIDLIST_DESTROY_DELAY in kernel/cgroup/cgroup-v1.c): read again through the
    /// same descriptor within that second, it lists the members of the last read.
    pub fn read_in_unkept(&mut self, dir: &Path, name: &str) -> Result<&[u8], KernelError> {
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        path.push(dir);
        path.push(name);
        let res = self.read(&path).map(|_| ());
        self.path = path;
        res.map(|()| self.buf.as_slice())
    }

    /// The content of `dir/name`.
    pub fn read_in(&mut self, dir: &Path, name: &str) -> Result<&[u8], KernelError> {
        let mut path = std::mem::take(&mut self.path);
        path.clear();
        path.push(dir);
        path.push(name);
        let pass = self.pass;
        if let Some((file, read)) = self.kept.as_mut().and_then(|k| k.get_mut(&path)) {
            // An empty read is an empty file (cgroup.procs of an empty cgroup), not a stale
            // one: a removed cgroup's open files fail with ENODEV. Then, or on any error, the
            // file is opened again by path below (the cgroup may have been made again under
            // the same name since).
            if read_at_start(file.file(), &mut self.buf).is_ok() {
                *read = pass;
                self.path = path;
                return Ok(self.buf.as_slice());
            }
            if let Some(k) = self.kept.as_mut() {
                k.remove(&path);
            }
        }
        let res = std::fs::File::open(&path)
            .and_then(|f| read_at_start(&f, &mut self.buf).map(|_| f))
            .map_err(|e| KernelError::from_io(&path, e));
        let res = match res {
            Ok(f) => {
                if let Some(kept) = self.kept.as_mut()
                    && let Some(f) = KeptFile::keep(f)
                {
                    kept.insert(path.clone(), (f, pass));
                }
                Ok(())
            }
            Err(e) => Err(e),
        };
        self.path = path;
        res.map(|()| self.buf.as_slice())
    }
}

/// Lists an open directory from its start; the number of entries other than `.` and `..`.
fn list_open(d: &mut nix::dir::Dir, each: &mut dyn FnMut(DirEntry<'_>)) -> usize {
    let mut n = 0;
    // The iterator rewinds the directory when dropped, ready for the next pass.
    for entry in d.iter().flatten() {
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        n += 1;
        let is_dir = match entry.file_type() {
            Some(nix::dir::Type::Directory) => true,
            Some(nix::dir::Type::File) => false,
            _ => continue,
        };
        each(DirEntry { name, is_dir });
    }
    n
}

/// Reads the control files of one cgroup directory, recording denied ones.
pub struct CgroupFiles<'a> {
    pub dir: &'a Path,
    pub present: Present,
    pub reader: &'a mut FileReader,
    pub denied: Vec<String>,
}

impl CgroupFiles<'_> {
    /// Reads `c` and hands its bytes to `parse`. `None` when the file is absent, denied
    /// (then its name goes to `denied`), gone, unreadable or unparsable.
    pub fn get<T>(&mut self, c: Ctl, parse: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        if !self.present.has(c) {
            return None;
        }
        match self.reader.read_in(self.dir, c.name()) {
            Ok(bytes) => parse(bytes),
            Err(KernelError::Denied { .. }) => {
                self.denied.push(c.name().to_string());
                None
            }
            // Gone (the cgroup went away after the readdir), EOPNOTSUPP (PSI disabled by
            // cgroup.pressure=0), EINVAL...: nothing to show for this file.
            Err(_) => None,
        }
    }

    pub fn has(&self, c: Ctl) -> bool {
        self.present.has(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_fit_the_set() {
        let mut p = Present::default();
        for name in [
            "cgroup.procs",
            "memory.max",
            "freezer.state",
            "cpuset.effective_mems",
        ] {
            let c = Ctl::from_name(name.as_bytes()).unwrap();
            assert_eq!(c.name(), name);
            assert!((c as u8) < 64);
            assert!(!p.has(c));
            p.insert(c);
            assert!(p.has(c));
        }
        assert_eq!(Ctl::from_name(b"memory.stat"), None);
    }

    #[test]
    fn reader_reuses_its_buffer_and_sorts_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), b"12\n").unwrap();
        let mut r = FileReader::new();
        assert_eq!(r.read_in(dir.path(), "a").unwrap(), b"12\n");
        assert!(matches!(
            r.read_in(dir.path(), "missing"),
            Err(KernelError::Gone { .. })
        ));
        assert_eq!(r.read(&dir.path().join("a")).unwrap(), b"12\n");
    }

    #[test]
    fn a_keeping_reader_rereads_kept_files_and_closes_the_unread_at_the_end_of_a_pass() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["a", "b"] {
            std::fs::write(dir.path().join(f), b"1\n").unwrap();
        }
        let mut r = FileReader::keeping();
        r.begin_pass();
        assert_eq!(r.read_in(dir.path(), "a").unwrap(), b"1\n");
        assert_eq!(r.read_in(dir.path(), "b").unwrap(), b"1\n");
        r.end_pass();
        assert_eq!(r.kept_files(), 2);
        // The same file, rewritten in place: the kept descriptor reads the new text.
        std::fs::write(dir.path().join("a"), b"22\n").unwrap();
        r.begin_pass();
        assert_eq!(r.read_in(dir.path(), "a").unwrap(), b"22\n");
        r.end_pass();
        assert_eq!(r.kept_files(), 1, "b was not read in the second pass");
        assert!(matches!(
            r.read_in(dir.path(), "missing"),
            Err(KernelError::Gone { .. })
        ));
        assert_eq!(r.kept_files(), 1);
        // A plain reader keeps nothing.
        let mut plain = FileReader::new();
        assert_eq!(plain.read_in(dir.path(), "a").unwrap(), b"22\n");
        assert_eq!(plain.kept_files(), 0);
    }
}
