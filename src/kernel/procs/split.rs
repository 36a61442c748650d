//! Reading parts of one refresh on several threads, for the readers that split a big first
//! read (`reader/parallel.rs`: new processes; `threads/parallel.rs`: new threads). Each part
//! is read by its own worker (its own buffers and caches) on a scoped thread; the first part
//! by the caller's reader on the caller's thread. A part whose thread could not be started
//! is read by the caller afterwards, so nothing is left unread; a panic in a worker is
//! passed on.

/// More threads than this gain little: a first read is then a few milliseconds.
pub(super) const MAX_THREADS: usize = 4;

/// How many threads to read `new` new items with, at `per_thread` items a thread at least
/// (a thread's start costs about as much as reading one or two of them): 1 means "don't".
pub(super) fn threads_for(new: u64, per_thread: u64) -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(MAX_THREADS)
        .min(usize::try_from(new / per_thread.max(1)).unwrap_or(usize::MAX))
}

/// `read(reader, part)` for every part, in the parts' order: the first with `lead`, part
/// `i + 1` with `workers[i]` on a thread named `name`.
pub(super) fn read_parts<W, P, R>(
    name: &str,
    lead: &mut W,
    workers: &mut [W],
    parts: &mut [P],
    read: &(impl Fn(&mut W, &mut P) -> R + Sync),
) -> Vec<R>
where
    W: Send,
    P: Send,
    R: Send,
{
    // One result per part; None: its thread could not be started, read below.
    let results: Vec<Option<R>> = std::thread::scope(|s| {
        let Some((mine, theirs)) = parts.split_first_mut() else {
            return Vec::new();
        };
        let handles: Vec<_> = theirs
            .iter_mut()
            .zip(workers.iter_mut())
            .map(|(part, worker)| {
                std::thread::Builder::new()
                    .name(name.into())
                    .spawn_scoped(s, move || read(worker, part))
                    .ok()
            })
            .collect();
        let first = read(lead, mine);
        std::iter::once(Some(first))
            .chain(handles.into_iter().map(|h| {
                h.map(|h| {
                    h.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
            }))
            .collect()
    });
    parts
        .iter_mut()
        .zip(results)
        .map(|(part, r)| r.unwrap_or_else(|| read(lead, part)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_is_read_once_in_order() {
        let mut data: Vec<u32> = (0..100).collect();
        let mut parts: Vec<&mut [u32]> = data.chunks_mut(30).collect();
        let mut lead = 0u32;
        let mut workers = vec![0u32; parts.len() - 1];
        let read = |reads: &mut u32, part: &mut &mut [u32]| {
            *reads += 1;
            part.iter_mut().for_each(|x| *x *= 2);
            part.iter().sum::<u32>()
        };
        let sums = read_parts("test", &mut lead, &mut workers, &mut parts, &read);
        assert_eq!(sums.len(), 4);
        assert_eq!(
            sums.iter().sum::<u32>(),
            (0..100).map(|x| x * 2).sum::<u32>()
        );
        assert_eq!(lead + workers.iter().sum::<u32>(), 4, "each part once");
        assert!(data.iter().zip(0u32..).all(|(x, i)| *x == 2 * i));
    }

    #[test]
    fn few_new_items_stay_on_one_thread() {
        assert_eq!(threads_for(100, 256), 0);
        assert!(threads_for(100_000, 256) <= MAX_THREADS);
    }
}
