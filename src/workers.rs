//! Work of uneven sizes spread over the threads of the current rayon pool.

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
}
