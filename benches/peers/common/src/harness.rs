//! The interleaved rounds.
//!
//! The machine is shared: other work starts and stops during a run, so two figures measured a
//! minute apart are not comparable. Each round therefore times one batch of every library back
//! to back (rotating which goes first), and a library's figure is the median over the rounds
//! of its batch time divided by the raw driver's batch time *in the same round*; load that
//! lasts longer than a round cancels out of that ratio. The absolute medians are reported too.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::{Digest, Ops, Result, Workload};

/// A boxed future, for the object-safe [`Library`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One library as the coordinator sees it: in this process, or in the peers' process.
pub trait Library: Send + Sync {
    /// The column it gets in the results.
    fn name(&self) -> &str;
    /// Times operations `first .. first + iterations` of `workload`.
    fn batch(
        &self,
        workload: Workload,
        first: u64,
        iterations: u64,
    ) -> BoxFuture<'_, Result<Duration>>;
    /// Runs operation `n` of `workload` once and returns its digest.
    fn digest(&self, workload: Workload, n: u64) -> BoxFuture<'_, Result<Digest>>;
}

/// A library of this process: its [`Ops`] under a name.
pub struct Local<O> {
    name: String,
    ops: O,
}

impl<O> Local<O> {
    /// `ops` named `name`.
    pub fn new(name: impl Into<String>, ops: O) -> Local<O> {
        Local {
            name: name.into(),
            ops,
        }
    }

    /// The operations.
    pub fn ops(&self) -> &O {
        &self.ops
    }
}

impl<O: Ops> Library for Local<O> {
    fn name(&self) -> &str {
        &self.name
    }

    fn batch(
        &self,
        workload: Workload,
        first: u64,
        iterations: u64,
    ) -> BoxFuture<'_, Result<Duration>> {
        Box::pin(crate::time(&self.ops, workload, first, iterations))
    }

    fn digest(&self, workload: Workload, n: u64) -> BoxFuture<'_, Result<Digest>> {
        Box::pin(crate::run(&self.ops, workload, n))
    }
}

/// How long a workload is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Rounds (each times one batch of every library).
    pub rounds: usize,
    /// Operations per batch.
    pub iterations: u64,
}

/// One library's figures for one workload.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The library.
    pub library: String,
    /// Median over the rounds of the time per operation, in microseconds.
    pub micros: f64,
    /// Quartiles (25th, 50th, 75th percentile) over the rounds of the per-round ratio of this
    /// library's batch time to the baseline's.
    pub ratio: [f64; 3],
}

/// Deletes what the write workloads created (run before every batch of a writing workload).
pub type Reset<'a> = &'a (dyn Fn() -> BoxFuture<'a, Result<()>> + Send + Sync);

/// Runs `workload` for every library in interleaved rounds; `libraries[0]` is the baseline.
/// `counter` numbers the operations, so no two batches repeat one (unique emails).
///
/// Each library first runs one untimed batch (connections, statement caches, buffers). Then,
/// per round, every library times one batch of `plan.iterations` operations, starting with
/// library `round % libraries.len()`.
///
/// # Errors
///
/// The first error of any library or of `reset`.
pub async fn interleave(
    libraries: &[&dyn Library],
    workload: Workload,
    plan: Plan,
    reset: Reset<'_>,
    counter: &mut u64,
) -> Result<Vec<Measured>> {
    let count = libraries.len();
    let batch = async |library: &dyn Library, counter: &mut u64| -> Result<Duration> {
        if workload.writes() {
            reset().await?;
        }
        let elapsed = library.batch(workload, *counter, plan.iterations).await?;
        *counter += plan.iterations;
        Ok(elapsed)
    };
    for library in libraries {
        batch(*library, counter).await?;
    }
    let mut times = vec![Vec::with_capacity(plan.rounds); count];
    for round in 0..plan.rounds {
        for k in 0..count {
            let index = (round + k) % count;
            times[index].push(batch(libraries[index], counter).await?);
        }
    }
    let per_op = |d: &Duration| d.as_secs_f64() * 1e6 / iterations_f64(plan.iterations);
    Ok(libraries
        .iter()
        .zip(&times)
        .map(|(library, own)| {
            let ratios = own
                .iter()
                .zip(&times[0])
                .map(|(t, base)| t.as_secs_f64() / base.as_secs_f64())
                .collect();
            Measured {
                library: library.name().to_owned(),
                micros: quantile(own.iter().map(per_op).collect(), 0.5),
                ratio: [0.25, 0.5, 0.75].map(|q| quantile(Vec::clone(&ratios), q)),
            }
        })
        .collect())
}

fn iterations_f64(n: u64) -> f64 {
    // Batches are small; the conversion is exact.
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The `q` quantile of `values` (nearest rank; the median of an odd count is its middle).
pub fn quantile(mut values: Vec<f64>, q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let last = values.len() - 1;
    let rank = (q * last as f64).round();
    // `rank` is within 0..=last by construction.
    values[(rank as usize).min(last)]
}

/// Runs the same operation of `workload` on every library and checks each digest against
/// the baseline's (`libraries[0]`), after `reset` for writing workloads.
///
/// # Errors
///
/// A library failing, or returning a different digest (the message names both).
pub async fn check(
    libraries: &[&dyn Library],
    workload: Workload,
    reset: Reset<'_>,
    counter: &mut u64,
) -> Result<Digest> {
    // The same operation for everyone (the same user read; for writes, `reset` deletes the
    // previous library's row before the next creates its own).
    let n = *counter;
    *counter += 1;
    let mut expected = None;
    for library in libraries {
        if workload.writes() {
            reset().await?;
        }
        let digest = library.digest(workload, n).await?;
        match expected {
            None => expected = Some((library.name(), digest)),
            Some((base, want)) if want != digest => {
                return Err(format!(
                    "{} on {}: {digest}, but {base} returned {want}",
                    workload.name(),
                    library.name()
                )
                .into());
            }
            Some(_) => {}
        }
    }
    Ok(expected.map(|(_, d)| d).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_pick_the_nearest_rank() {
        let values = vec![5.0, 1.0, 4.0, 2.0, 3.0];
        assert_eq!(quantile(values.clone(), 0.5), 3.0);
        assert_eq!(quantile(values.clone(), 0.25), 2.0);
        assert_eq!(quantile(values.clone(), 0.75), 4.0);
        assert_eq!(quantile(values, 1.0), 5.0);
        assert!(quantile(Vec::new(), 0.5).is_nan());
    }

    /// A library whose operations take `micros` each (slept, so the ratio is known).
    struct Sleepy(u64);

    impl Ops for Sleepy {
        async fn find_unique(&self, _: u64) -> Result<Digest> {
            tokio_free_sleep(self.0);
            Ok(Digest::count(1))
        }
        async fn find_many(&self) -> Result<Digest> {
            Ok(Digest::count(self.0))
        }
        async fn nested(&self) -> Result<Digest> {
            Ok(Digest::count(1))
        }
        async fn create(&self, _: u64) -> Result<Digest> {
            Ok(Digest::count(1))
        }
        async fn create_many(&self, _: u64) -> Result<Digest> {
            Ok(Digest::count(1))
        }
        async fn transaction(&self, _: u64) -> Result<Digest> {
            Ok(Digest::count(1))
        }
    }

    fn tokio_free_sleep(micros: u64) {
        std::thread::sleep(Duration::from_micros(micros));
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        // The futures here never wait on anything: polling once completes them.
        let mut future = std::pin::pin!(future);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(output) => output,
            std::task::Poll::Pending => unreachable!("nothing here waits"),
        }
    }

    #[test]
    fn ratios_are_per_round_against_the_first_library() {
        let (fast, slow) = (
            Local::new("raw", Sleepy(2000)),
            Local::new("slow", Sleepy(6000)),
        );
        let libraries: [&dyn Library; 2] = [&fast, &slow];
        let resets = std::sync::atomic::AtomicU32::new(0);
        let reset = || -> BoxFuture<'_, Result<()>> {
            resets.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async { Ok(()) })
        };
        let mut counter = 0;
        let plan = Plan {
            rounds: 3,
            iterations: 2,
        };
        let measured = block_on(interleave(
            &libraries,
            Workload::FindUnique,
            plan,
            &reset,
            &mut counter,
        ))
        .unwrap();
        assert_eq!(counter, 2 * 2 * 4, "a warm-up batch and three rounds each");
        assert_eq!(resets.into_inner(), 0, "reads reset nothing");
        assert_eq!(measured[0].ratio, [1.0; 3]);
        assert!(measured[0].micros >= 2000.0);
        let ratio = measured[1].ratio[1];
        assert!((2.0..4.0).contains(&ratio), "{ratio}");
    }

    #[test]
    fn check_names_the_library_that_differs() {
        let (a, b) = (Local::new("raw", Sleepy(0)), Local::new("other", Sleepy(1)));
        let libraries: [&dyn Library; 2] = [&a, &b];
        let reset = || -> BoxFuture<'_, Result<()>> { Box::pin(async { Ok(()) }) };
        let mut counter = 0;
        let same = block_on(check(&libraries, Workload::Nested, &reset, &mut counter));
        assert_eq!(same.unwrap(), Digest::count(1));
        let err = block_on(check(&libraries, Workload::FindMany, &reset, &mut counter));
        assert_eq!(
            err.unwrap_err().to_string(),
            "find_many on other: 1 rows, sum 0, but raw returned 0 rows, sum 0"
        );
    }
}
