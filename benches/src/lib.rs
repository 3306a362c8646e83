//! Shared setup for the benchmarks.

use std::future::Future;
use std::time::{Duration, Instant};

/// Times `iterations` runs of `op`; returns the mean time of one.
pub async fn timed<F, Fut, T>(iterations: u32, op: &F) -> Duration
where
    F: Fn() -> Fut,
    Fut: Future<Output = T>,
{
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(op().await);
    }
    start.elapsed() / iterations
}

/// The median per-operation times of both sides and the median of the per-round ratios.
#[derive(Debug, Clone, Copy)]
pub struct Interleaved {
    /// The raw driver's median time per operation.
    pub raw: Duration,
    /// This project's median time per operation.
    pub ours: Duration,
    /// The median of the per-round ratios, ours / raw.
    pub ratio: f64,
}

/// Runs `raw` and `ours` alternately for `rounds` rounds of `iterations` operations each,
/// swapping which side goes first, after one warm-up batch of each. On a shared machine whose
/// load drifts, the median of the per-round ratios is steadier than two separate figures.
pub async fn interleaved<R, RF, O, OF, T, U>(
    rounds: usize,
    iterations: u32,
    raw: R,
    ours: O,
) -> Interleaved
where
    R: Fn() -> RF,
    RF: Future<Output = T>,
    O: Fn() -> OF,
    OF: Future<Output = U>,
{
    timed(iterations, &raw).await;
    timed(iterations, &ours).await;
    let mut samples = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (r, o) = if round % 2 == 0 {
            let r = timed(iterations, &raw).await;
            (r, timed(iterations, &ours).await)
        } else {
            let o = timed(iterations, &ours).await;
            (timed(iterations, &raw).await, o)
        };
        samples.push((r, o));
    }
    let median_duration = |mut values: Vec<Duration>| {
        values.sort();
        values[values.len() / 2]
    };
    let mut ratios: Vec<f64> = samples
        .iter()
        .map(|(r, o)| o.as_secs_f64() / r.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    Interleaved {
        raw: median_duration(samples.iter().map(|s| s.0).collect()),
        ours: median_duration(samples.iter().map(|s| s.1).collect()),
        ratio: ratios[ratios.len() / 2],
    }
}

impl std::fmt::Display for Interleaved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "raw {:>9.1} µs  orm {:>9.1} µs  ratio {:.3}",
            self.raw.as_secs_f64() * 1e6,
            self.ours.as_secs_f64() * 1e6,
            self.ratio
        )
    }
}

/// Runs `sql` through [`Queryable::query_each`](orm_core::Queryable::query_each), decoding each
/// row into `T` as the adapter reads it: what the typed client's reads do.
///
/// # Errors
///
/// The adapter's error, or the first row that does not decode.
pub async fn rows_each<T: orm_core::FromRow + Send>(
    db: &(impl orm_core::Queryable + ?Sized),
    sql: &orm_core::Sql,
) -> orm_core::Result<Vec<T>> {
    let mut rows = Vec::new();
    db.query_each(sql, &mut |row| {
        rows.push(T::from_row(row)?);
        Ok(())
    })
    .await?;
    Ok(rows)
}
