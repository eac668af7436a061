//! Work spread over all cores with the results kept in input order, so that what gpwr
//! writes stays the same whatever the number of cores.

/// `work` applied to every item, on as many threads as there are cores, in `items`' order.
/// Items are handed out one at a time, so a thread slowed down (by a large item or a busy
/// machine) does not leave the others idle at the end. A panic in `work` is passed on to
/// the caller.
pub fn map_in_order<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(items.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (work, next) = (&work, &next);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { return done };
                        done.push((i, work(item)));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u32> = (0..1001).collect();
        let squares = map_in_order(&items, |n| n * n);
        assert_eq!(squares.len(), 1001);
        assert!(squares.iter().enumerate().all(|(i, s)| *s == (i as u32) * (i as u32)));
        assert!(map_in_order(&[] as &[u32], |n| *n).is_empty());
    }
}
