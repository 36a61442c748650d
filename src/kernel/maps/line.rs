//! Parser of one line of /proc/PID/maps (also the header line of each smaps entry).
//!
//! The kernel prints (fs/proc/task_mmu.c, `show_vma_header_prefix`):
//!
//! ```text
//! %08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu <padding to column 73> path
//! ```
//!
//! See proc_pid_maps(5) and <https://docs.kernel.org/filesystems/proc.html>. The path is
//! everything after the padding: it may contain spaces and any byte except `\n` (which the
//! kernel escapes as `\012`; a backslash itself is not escaped, so we keep the bytes as printed).
//! The kernel appends ` (deleted)` when the mapped file was unlinked. Addresses have at least
//! 8 hex digits (so 32-bit processes show short ones) and at most 16.

/// One parsed line, borrowing the path bytes from the buffer (no allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MapsLine<'a> {
    pub start: u64,
    pub end: u64,
    /// `r`/`w`/`x`/`p` or `s`, as printed, in that order.
    pub perms: [u8; 4],
    pub offset: u64,
    pub dev_major: u32,
    pub dev_minor: u32,
    pub inode: u64,
    /// Path or pseudo-name without the ` (deleted)` suffix; empty for anonymous memory.
    pub path: &'a [u8],
    pub deleted: bool,
}

impl MapsLine<'_> {
    pub(super) fn is_executable(&self) -> bool {
        self.perms[2] == b'x'
    }

    pub(super) fn is_shared(&self) -> bool {
        self.perms[3] == b's'
    }

    /// `rwxp` as text; the parser only accepts the letters below, so this is always ASCII.
    pub(super) fn perms_str(&self) -> String {
        self.perms.iter().map(|&b| char::from(b)).collect()
    }

    /// `fe:00`, as the kernel prints it (at least two hex digits each).
    pub(super) fn dev_str(&self) -> String {
        format!("{:02x}:{:02x}", self.dev_major, self.dev_minor)
    }
}

/// Why a line was refused; the caller adds the file and line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineError {
    Empty,
    Address,
    Perms,
    Offset,
    Device,
    Inode,
}

impl LineError {
    pub(super) fn what(self) -> &'static str {
        match self {
            LineError::Empty => "empty line",
            LineError::Address => "address range",
            LineError::Perms => "permissions",
            LineError::Offset => "offset",
            LineError::Device => "device",
            LineError::Inode => "inode",
        }
    }
}

const DELETED: &[u8] = b" (deleted)";

/// Parses one line (without its `\n`; a trailing `\r` is not expected and would stay in
/// the path, which is what the kernel printed).
pub(super) fn parse_line(line: &[u8]) -> Result<MapsLine<'_>, LineError> {
    if line.is_empty() {
        return Err(LineError::Empty);
    }
    let mut cur = Cursor { rest: line };
    let start = cur.hex_until(b'-', 16).ok_or(LineError::Address)?;
    let end = cur.hex_until(b' ', 16).ok_or(LineError::Address)?;
    // The kernel never prints an empty or reversed range; such a line is not a maps line.
    if end <= start {
        return Err(LineError::Address);
    }
    let perms = cur.perms().ok_or(LineError::Perms)?;
    // The offset is a 64-bit file offset (`%08llx`).
    let offset = cur.hex_until(b' ', 16).ok_or(LineError::Offset)?;
    let dev_major = cur.hex_until(b':', 8).ok_or(LineError::Device)?;
    let dev_minor = cur.hex_until(b' ', 8).ok_or(LineError::Device)?;
    let inode = cur.decimal_word().ok_or(LineError::Inode)?;
    // Padding: the kernel pads with spaces to a column, then prints the name. Names never
    // start with a space (absolute paths, `[...]`, `anon_inode:...`), so skip all of them.
    // Only spaces: the kernel pads with ' ' (seq_pad), and a tab or form feed is a name byte.
    let pad = cur.rest.iter().take_while(|&&b| b == b' ').count();
    let raw_path = cur.rest.get(pad..).unwrap_or_default();
    let (path, deleted) = match raw_path.strip_suffix(DELETED) {
        Some(p) => (p, true),
        None => (raw_path, false),
    };
    Ok(MapsLine {
        start,
        end,
        perms,
        offset,
        dev_major: u32::try_from(dev_major).map_err(|_| LineError::Device)?,
        dev_minor: u32::try_from(dev_minor).map_err(|_| LineError::Device)?,
        inode,
        path,
        deleted,
    })
}

struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    /// Hex digits (1..=max_digits) followed by `sep`, which is consumed.
    fn hex_until(&mut self, sep: u8, max_digits: usize) -> Option<u64> {
        let mut value: u64 = 0;
        let mut n = 0;
        for &b in self.rest {
            if b == sep {
                break;
            }
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return None,
            };
            n += 1;
            if n > max_digits {
                return None;
            }
            value = (value << 4) | u64::from(d);
        }
        if n == 0 {
            return None;
        }
        // n digits were read; the separator follows (or the line ended: not allowed).
        let after = self.rest.get(n..)?;
        let (&first, tail) = after.split_first()?;
        if first != sep {
            return None;
        }
        self.rest = tail;
        Some(value)
    }

    /// Exactly `[r-][w-][x-][ps]` followed by a space.
    fn perms(&mut self) -> Option<[u8; 4]> {
        let (head, tail) = self.rest.split_first_chunk::<5>()?;
        let [r, w, x, s, sp] = *head;
        let ok = matches!(r, b'r' | b'-')
            && matches!(w, b'w' | b'-')
            && matches!(x, b'x' | b'-')
            && matches!(s, b'p' | b's')
            && sp == b' ';
        if !ok {
            return None;
        }
        self.rest = tail;
        Some([r, w, x, s])
    }

    /// Decimal digits up to a space or the end of the line (anonymous mappings may end
    /// right after the inode in hand-made files; the kernel prints a trailing space).
    fn decimal_word(&mut self) -> Option<u64> {
        let len = self
            .rest
            .iter()
            .position(|&b| b == b' ')
            .unwrap_or(self.rest.len());
        let (digits, tail) = self.rest.split_at_checked(len)?;
        if digits.is_empty() {
            return None;
        }
        let mut value: u64 = 0;
        for &b in digits {
            if !b.is_ascii_digit() {
                return None;
            }
            value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        }
        self.rest = tail;
        Some(value)
    }
}

#[cfg(test)]
mod tests;
