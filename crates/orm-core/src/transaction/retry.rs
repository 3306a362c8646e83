//! [`RetryPolicy`]: how often and how soon an interactive transaction is rerun.

use std::time::Duration;

/// How an interactive transaction is rerun after a transient failure (a serialization
/// failure or a deadlock, [`Error::is_transient`](crate::Error::is_transient)): at most
/// [`attempts`](Self::attempts) runs in all, waiting between two runs for an exponentially
/// growing backoff with jitter, so that transactions that collided do not collide again.
///
/// ```
/// use std::time::Duration;
/// use orm_core::transaction::RetryPolicy;
///
/// let policy = RetryPolicy::new(10).with_backoff(Duration::from_millis(2), Duration::from_millis(200));
/// assert_eq!(policy.attempts(), 10);
/// assert!(policy.backoff(1) <= Duration::from_millis(2));
/// assert!(policy.backoff(20) <= Duration::from_millis(200));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryPolicy {
    /// At most `attempts` runs in all (at least 1), with a backoff starting at 5 ms and
    /// doubling up to 1 s.
    pub fn new(attempts: u32) -> Self {
        RetryPolicy {
            attempts: attempts.max(1),
            initial_backoff: Duration::from_millis(5),
            max_backoff: Duration::from_secs(1),
        }
    }

    /// Waits about `initial` after the first failure, doubling after each further one, never
    /// more than `max`.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The most runs of the closure, the first included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// How long to wait after `failed` runs have failed: a random duration between half and
    /// all of `initial × 2^(failed - 1)`, capped at the maximum backoff.
    pub fn backoff(&self, failed: u32) -> Duration {
        let doublings = failed.saturating_sub(1).min(31);
        let cap = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        let half = cap_nanos / 2;
        Duration::from_nanos(half + rand::random_range(0..=cap_nanos - half))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_caps() {
        let policy =
            RetryPolicy::new(5).with_backoff(Duration::from_millis(10), Duration::from_millis(50));
        for _ in 0..100 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(5) && first <= Duration::from_millis(10));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(20) && third <= Duration::from_millis(40));
            let late = policy.backoff(1000);
            assert!(late >= Duration::from_millis(25) && late <= Duration::from_millis(50));
        }
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::new(0).attempts(), 1);
    }
}
