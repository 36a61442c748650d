//! /proc/PID/maps, smaps and smaps_rollup of one process, with our own byte-level parsers.
//! See proc_pid_maps(5), proc_pid_smaps(5) and <https://docs.kernel.org/filesystems/proc.html>.
//!
//! Two steps, because their costs differ by two orders of magnitude:
//!
//! 1. [`read_memory_map`]: maps (every mapping, classified), the gaps between them, and the
//!    totals from smaps_rollup. For 60,000 mappings, release build, 2-core VM: about 50 ms
//!    (up to ~95 ms while other builds loaded the machine), of which the kernel takes ~20 ms
//!    to generate maps (2.9 MB) and ~18 ms for smaps_rollup; our parsing is the rest.
//! 2. [`fill_smaps_counters`]: Rss, Pss, Swap and Anonymous of each mapping, from smaps.
//!    The kernel builds smaps by walking the page tables of every mapping and prints ~25
//!    lines per mapping: for the same 60,000 mappings that is 42 MB and ~225 ms in the
//!    kernel alone, ~265 ms with our parsing. Run it later, off the UI thread, for the
//!    selected process only, and show the map from step 1 meanwhile (`smaps_read` is false).
//!
//! The figures come from `cargo test --release --test maps_kernel -- --ignored --nocapture
//! measure`, which maps 60,000 pages in a child of its own.
//!
//! [`MapsReader`] keeps its read buffer between calls, so a poller that refreshes the selected
//! process does not reallocate megabytes each time.

mod classify;
mod field;
pub(crate) mod gaps;
mod line;
mod rollup;
mod smaps;
pub mod user_space;

use super::{KernelError, Roots};
use crate::model::{Access, Mapping, MemoryMap};
use classify::{Program, classify};
use line::{MapsLine, parse_line};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
pub use user_space::place_in_address_space;

/// Reads the address space of `pid` (whose start time the caller has read from stat): every
/// mapping of /proc/PID/maps, classified, where user space ends ([`user_space`]), the gaps
/// inside it, and the totals of smaps_rollup. Per-mapping counters are left `None`
/// (`smaps_read == false`); fill them with [`fill_smaps_counters`], which is much slower.
///
/// Errors: the pid does not exist or no longer has that start time → [`KernelError::Gone`];
/// maps denied → [`KernelError::Denied`]. A task without an address space gives an empty map:
/// a kernel thread, and a process that is exiting or a zombie (its maps are empty from
/// exit_mm() on); its row in the snapshot says which (`model::NoMappings`).
pub fn read_memory_map(
    roots: &Roots,
    pid: i32,
    start_time_ticks: u64,
) -> Result<MemoryMap, KernelError> {
    MapsReader::default().read_memory_map(roots, pid, start_time_ticks)
}

/// Fills rss/pss/swap/anonymous of every mapping of `map` from /proc/PID/smaps and sets
/// `smaps_read`. Slow for large processes (the kernel walks all page tables): call it off the
/// UI thread. If smaps cannot be read, the counters stay `None`, `smaps_access` says why, and
/// the error is returned too. Mappings created or changed since `map` was read keep `None`.
pub fn fill_smaps_counters(roots: &Roots, map: &mut MemoryMap) -> Result<(), KernelError> {
    MapsReader::default().fill_smaps_counters(roots, map)
}

/// The readers above with a buffer that is kept between calls.
#[derive(Debug, Default)]
pub struct MapsReader {
    buf: Vec<u8>,
    /// stat is read after the big file, whose text must survive the identity check.
    stat_buf: Vec<u8>,
}

impl MapsReader {
    /// See [`read_memory_map`].
    pub fn read_memory_map(
        &mut self,
        roots: &Roots,
        pid: i32,
        start_time_ticks: u64,
    ) -> Result<MemoryMap, KernelError> {
        let exe = std::fs::read_link(roots.pid_file(pid, "exe")).ok();
        let maps_path = roots.pid_file(pid, "maps");
        read_into(&maps_path, &mut self.buf)?;
        let program = exe
            .and_then(|target| Program::from_exe_link(target.as_os_str().as_bytes()))
            .or_else(|| Program::guess_from_first_file(lines(&self.buf).filter_map(Result::ok)));
        // One line per mapping: size the vector once (60,000 mappings are ~10 MB of structs).
        let mut mappings = Vec::with_capacity(self.buf.iter().filter(|&&b| b == b'\n').count());
        for (n, parsed) in lines(&self.buf).enumerate() {
            let l = parsed.map_err(|e| {
                KernelError::parse(&maps_path, format!("line {}: {}", n + 1, e.what()))
            })?;
            mappings.push(to_mapping(&l, program.as_ref()));
        }
        // A process without an address space (kernel thread, zombie) has no totals to read;
        // its smaps_rollup fails with ESRCH, which would wrongly say "gone".
        let (totals, totals_access) = if mappings.is_empty() {
            (None, Access::Ok)
        } else {
            let path = roots.pid_file(pid, "smaps_rollup");
            match read_into(&path, &mut self.buf) {
                Ok(()) => (rollup::parse_rollup(&self.buf), Access::Ok),
                Err(e) => (None, e.access()),
            }
        };
        self.check_identity(roots, pid, start_time_ticks)?;
        let mut map = MemoryMap {
            pid,
            start_time_ticks,
            mappings,
            gaps: Vec::new(),
            user_space: None,
            totals,
            smaps_access: Access::Ok,
            smaps_read: false,
            totals_access,
        };
        place_in_address_space(&mut map);
        Ok(map)
    }

    /// See [`fill_smaps_counters`].
    pub fn fill_smaps_counters(
        &mut self,
        roots: &Roots,
        map: &mut MemoryMap,
    ) -> Result<(), KernelError> {
        let result = self.apply_smaps(roots, map);
        map.smaps_access = match &result {
            Ok(()) => Access::Ok,
            Err(e) => e.access(),
        };
        map.smaps_read = result.is_ok();
        result
    }

    fn apply_smaps(&mut self, roots: &Roots, map: &mut MemoryMap) -> Result<(), KernelError> {
        if map.mappings.is_empty() {
            return Ok(());
        }
        let path = roots.pid_file(map.pid, "smaps");
        read_into(&path, &mut self.buf)?;
        self.check_identity(roots, map.pid, map.start_time_ticks)?;
        smaps::apply_smaps(&self.buf, &mut map.mappings)
            .map(|_matched| ())
            .map_err(|(n, e)| KernelError::parse(&path, format!("line {n}: {}", e.what())))
    }

    /// The pid must still have the start time the caller read, or what we read may belong
    /// to a newer process that reused the pid.
    fn check_identity(&mut self, roots: &Roots, pid: i32, want: u64) -> Result<(), KernelError> {
        let path = roots.pid_file(pid, "stat");
        read_into(&path, &mut self.stat_buf)?;
        match crate::kernel::procs::identity::start_time_ticks(&self.stat_buf) {
            Some(t) if t == want => Ok(()),
            Some(_) => Err(KernelError::Gone { path }),
            None => Err(KernelError::parse(&path, "start time (field 22)")),
        }
    }
}

/// Reads a whole proc file at once: seq_file output is generated per read, and one
/// `read_to_end` into a buffer that is kept between calls gives the fewest system calls.
fn read_into(path: &Path, buf: &mut Vec<u8>) -> Result<(), KernelError> {
    buf.clear();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(buf))
        .map(|_| ())
        .map_err(|e| KernelError::from_io(path, e))
}

fn lines(text: &[u8]) -> impl Iterator<Item = Result<MapsLine<'_>, line::LineError>> {
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(parse_line)
}

fn to_mapping(l: &MapsLine<'_>, program: Option<&Program>) -> Mapping {
    Mapping {
        start: l.start,
        end: l.end,
        size_bytes: l.end - l.start,
        perms: l.perms_str(),
        offset: l.offset,
        dev: l.dev_str(),
        inode: l.inode,
        path: (!l.path.is_empty()).then(|| crate::text::display_safe(l.path)),
        deleted: l.deleted,
        kind: classify(l, program),
        rss_bytes: None,
        pss_bytes: None,
        swap_bytes: None,
        anonymous_bytes: None,
    }
}

#[cfg(test)]
pub(crate) mod test_map;

/// An anonymous read-write mapping, for the parsers' unit tests.
#[cfg(test)]
pub(crate) fn test_mapping(start: u64, end: u64) -> Mapping {
    Mapping {
        start,
        end,
        size_bytes: end - start,
        perms: "rw-p".into(),
        offset: 0,
        dev: "00:00".into(),
        inode: 0,
        path: None,
        deleted: false,
        kind: crate::model::MappingKind::Anonymous,
        rss_bytes: None,
        pss_bytes: None,
        swap_bytes: None,
        anonymous_bytes: None,
    }
}
