//! Work spread over the threads of the current rayon pool: items of uneven sizes, and
//! cached items read while the missing ones are made.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::Result;

/// Runs `work` on every item, on at most `workers` threads of the current rayon pool, and
/// returns the results in the order of `items`. Each thread takes the next item when it has
/// finished one, in the order given: put the longest first, so that the last item running
/// alone is a short one. (A parallel iterator splits its items in halves up front, so one
/// thread could be left with two long ones while the other idles.) After an error no thread
/// takes another item, and the first error is returned.
pub fn longest_first<I: Sync, T: Send>(items: &[I], workers: usize, work: impl Fn(&I) -> Result<T> + Sync) -> Result<Vec<T>> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let done: Vec<Vec<(usize, T)>> = (0..workers.clamp(1, items.len().max(1)))
        .into_par_iter()
        .with_max_len(1)
        .map(|_| {
            let mut mine = Vec::new();
            while !failed.load(Ordering::Relaxed) {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                match work(item) {
                    Ok(result) => mine.push((index, result)),
                    Err(error) => {
                        failed.store(true, Ordering::Relaxed);
                        return Err(error);
                    }
                }
            }
            Ok(mine)
        })
        .collect::<Result<_>>()?;
    let mut done: Vec<(usize, T)> = done.into_iter().flatten().collect();
    done.sort_unstable_by_key(|(index, _)| *index);
    Ok(done.into_iter().map(|(_, result)| result).collect())
}

/// Makes the items that `held` says are missing while the others are read, on another
/// thread (after an edit: one sentence made on one core, dozens of small files read on the
/// other). An item held but not read (gone from a cache meanwhile, or unreadable) is made
/// after. Returns what was read, `None` where an item was made, and all that `make`
/// returned. `make` starts on the current thread at once.
pub fn read_while_making<R: Send, M: Send>(
    held: &[bool],
    read: impl Fn(usize) -> Option<R> + Sync,
    make: impl Fn(&[usize]) -> Result<Vec<M>> + Sync,
) -> Result<(Vec<Option<R>>, Vec<M>)> {
    let missing: Vec<usize> = (0..held.len()).filter(|&index| !held[index]).collect();
    let (made, read) = rayon::join(|| make(&missing), || (0..held.len()).into_par_iter().map(|index| held[index].then(|| read(index)).flatten()).collect::<Vec<_>>());
    let mut made = made?;
    let lost: Vec<usize> = (0..held.len()).filter(|&index| held[index] && read[index].is_none()).collect();
    if !lost.is_empty() {
        made.extend(make(&lost)?);
    }
    Ok((read, made))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn results_in_item_order_and_the_first_error_stops_the_rest() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let items: Vec<u64> = (0..40).rev().collect();
        let squares = pool.install(|| longest_first(&items, 3, |&n| Ok(n * n))).unwrap();
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(pool.install(|| longest_first(&[] as &[u64], 3, |&n| Ok(n))).unwrap().is_empty());

        let started = AtomicUsize::new(0);
        let result = pool.install(|| {
            longest_first(&items, 1, |&n| {
                started.fetch_add(1, Ordering::Relaxed);
                if n == 30 {
                    Err(Error::engine("engine died"))
                } else {
                    Ok(n)
                }
            })
        });
        assert!(result.unwrap_err().to_string().contains("engine died"));
        // One worker: items 39 down to 30 ran, none after the failure.
        assert_eq!(started.load(Ordering::Relaxed), 10);
    }

    #[test]
    fn what_is_not_read_is_made() {
        // Item 1 is held but cannot be read: it is made after the missing ones (0 and 3).
        let held = [false, true, true, false];
        let calls = std::sync::Mutex::new(Vec::new());
        let (read, made) = read_while_making(&held, |index| (index != 1).then_some(index * 10), |indices| {
            calls.lock().unwrap().push(indices.to_vec());
            Ok(indices.iter().map(|&index| index + 100).collect())
        })
        .unwrap();
        assert_eq!(read, [None, None, Some(20), None]);
        assert_eq!(made, [100, 103, 101]);
        assert_eq!(calls.into_inner().unwrap(), [vec![0, 3], vec![1]]);
    }
}
