//! The benchmark against the other Rust ORMs: the coordinator.
//!
//! For each database it creates the data set (a new PostgreSQL database, a new SQLite file),
//! connects the raw driver and this project here and the peers in the peers' process
//! (`peers-others`, started as a child), checks that every library returns the same result for
//! every workload, then times every workload in interleaved rounds (see
//! `peers_common::harness`) and drops the database again. Results go to a TSV file and, as
//! Markdown tables, to stdout.
//!
//! ```text
//! peers-ours --others <peers-others binary> [--out results.tsv] [--only postgres|sqlite]
//! peers-ours report results.tsv
//! peers-ours profile <postgres|sqlite> <workload> <iterations> [raw|orm]
//! ```
//!
//! Environment: `PEERS_PG_URL` (a PostgreSQL URL whose user may create databases; default
//! `postgres://postgres@127.0.0.1:5432/postgres`), `PEERS_SCALE` (multiplies the rounds; 0.2
//! makes a quick smoke run).

mod orm;
#[path = "../../common/raw/pg.rs"]
mod raw_pg;
#[path = "../../common/raw/sqlite.rs"]
mod raw_sqlite;
mod remote;
mod report;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use peers_common::harness::{self, BoxFuture, Library, Local, Plan, Reset};
use peers_common::protocol::Request;
use peers_common::{Backend, Result, Workload, data};
use raw_pg::RawPg;
use raw_sqlite::RawSqlite;
use remote::Peers;
use report::{Record, Results, meta_line};

struct Options {
    others: String,
    out: PathBuf,
    only: Option<Backend>,
    scale: f64,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.as_slice() {
        [command, path] if command == "report" => std::fs::read_to_string(path)
            .map_err(Into::into)
            .and_then(|text| Results::parse(&text))
            .map(|results| print!("{}", results.markdown())),
        [command, backend, workload, iterations, only @ ..] if command == "profile" => profile(
            backend,
            workload,
            iterations,
            only.first().map(String::as_str),
        ),
        _ => options(&args).and_then(run),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("peers-ours: {}", peers_common::describe(&*err));
            ExitCode::FAILURE
        }
    }
}

fn options(args: &[String]) -> Result<Options> {
    let mut options = Options {
        others: String::new(),
        out: PathBuf::from("peers-results.tsv"),
        only: None,
        scale: std::env::var("PEERS_SCALE").map_or(Ok(1.0), |s| s.parse())?,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--others" => options.others.clone_from(value()?),
            "--out" => options.out = PathBuf::from(value()?),
            "--only" => {
                let name = value()?;
                options.only =
                    Some(Backend::from_name(name).ok_or_else(|| format!("no backend {name}"))?);
            }
            _ => return Err(format!("unknown argument {arg}; see the module docs").into()),
        }
    }
    if options.others.is_empty() {
        return Err("--others <path of the peers-others binary> is required".into());
    }
    Ok(options)
}

fn run(options: Options) -> Result<()> {
    let results = in_task(measure_all(options))?;
    print!("{}", results.markdown());
    Ok(())
}

/// Runs `future` to completion as a task spawned on a multi-threaded runtime of two workers
/// (the machine's cores), as a service's handler runs: the SQLite adapter's blocking calls
/// then take the worker-thread path they take in production.
fn in_task<T: Send + 'static>(
    future: impl std::future::Future<Output = Result<T>> + Send + 'static,
) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async { tokio::spawn(future).await })?
}

/// Runs `iterations` operations of `workload` on the raw driver, then on this project (or only
/// on the library named `only`), each after one warm-up operation and without interleaving or
/// the peers' process: for `valgrind --tool=callgrind`, whose instruction counts do not depend
/// on the machine's load. With `--collect-atstart=no --toggle-collect='peers_common::time*'`
/// and one library, the total divided by `iterations + 1` is the cost of one operation.
fn profile(backend: &str, workload: &str, iterations: &str, only: Option<&str>) -> Result<()> {
    let only = only.map(str::to_owned);
    let backend = Backend::from_name(backend).ok_or_else(|| format!("no backend {backend}"))?;
    let workload =
        Workload::from_name(workload).ok_or_else(|| format!("no workload {workload}"))?;
    let iterations: u64 = iterations.parse()?;
    in_task(async move {
        match backend {
            Backend::Postgres => {
                postgres_database(async |url| {
                    let raw = Local::new("raw", RawPg::connect(url).await?);
                    let orm = Local::new("orm", orm::postgres::Orm::connect(url).await?);
                    let reset = || -> BoxFuture<'_, Result<()>> { Box::pin(raw.ops().reset()) };
                    let libraries = selected(&[&raw, &orm], only.as_deref());
                    one_after_the_other(&libraries, workload, iterations, &reset).await
                })
                .await
            }
            Backend::Sqlite => {
                sqlite_database(async |path| {
                    let raw = Local::new("raw", RawSqlite::open(path)?);
                    let orm = Local::new("orm", orm::sqlite::Orm::open(path).await?);
                    let reset =
                        || -> BoxFuture<'_, Result<()>> { Box::pin(async { raw.ops().reset() }) };
                    let libraries = selected(&[&raw, &orm], only.as_deref());
                    one_after_the_other(&libraries, workload, iterations, &reset).await
                })
                .await
            }
        }
    })
}

fn selected<'a>(libraries: &[&'a dyn Library], only: Option<&str>) -> Vec<&'a dyn Library> {
    libraries
        .iter()
        .copied()
        .filter(|l| only.is_none_or(|name| l.name() == name))
        .collect()
}

async fn one_after_the_other(
    libraries: &[&dyn Library],
    workload: Workload,
    iterations: u64,
    reset: Reset<'_>,
) -> Result<()> {
    let mut first = 0;
    for library in libraries {
        for count in [1, iterations] {
            if workload.writes() {
                reset().await?;
            }
            let elapsed = library.batch(workload, first, count).await?;
            first += count;
            if count == iterations {
                let per_op = elapsed.as_secs_f64() * 1e6 / f64::from(u32::try_from(count)?);
                println!(
                    "{} {}: {per_op:.1} µs per operation",
                    library.name(),
                    workload.name()
                );
            }
        }
    }
    Ok(())
}

/// How long each workload is measured on each backend (before `PEERS_SCALE`): batches of
/// about 5–50 ms, rounds enough for a stable median.
fn plan(backend: Backend, workload: Workload, scale: f64) -> Plan {
    let (rounds, iterations): (u32, u64) = match (backend, workload) {
        (Backend::Postgres, Workload::FindUnique) => (41, 100),
        (Backend::Postgres, Workload::FindMany) => (41, 5),
        (Backend::Postgres, Workload::Nested) => (41, 5),
        (Backend::Postgres, Workload::Create) => (41, 50),
        (Backend::Postgres, Workload::CreateMany) => (21, 1),
        (Backend::Postgres, Workload::Transaction) => (41, 20),
        (Backend::Sqlite, Workload::FindUnique) => (41, 1000),
        (Backend::Sqlite, Workload::FindMany) => (41, 10),
        (Backend::Sqlite, Workload::Nested) => (41, 10),
        (Backend::Sqlite, Workload::Create) => (41, 200),
        (Backend::Sqlite, Workload::CreateMany) => (21, 1),
        (Backend::Sqlite, Workload::Transaction) => (41, 100),
    };
    // An odd count of at least three rounds, so the median is a measured round.
    let scaled = (f64::from(rounds) * scale).round().max(3.0);
    let scaled = scaled as usize | 1;
    Plan {
        rounds: scaled,
        iterations,
    }
}

/// Writes results to the TSV file as they come, and keeps them.
struct Sink {
    file: std::fs::File,
    results: Results,
}

impl Sink {
    fn meta(&mut self, key: &str, value: impl Into<String>) -> Result<()> {
        let value = value.into();
        writeln!(self.file, "{}", meta_line(key, &value))?;
        self.results.meta.push((key.to_owned(), value));
        Ok(())
    }

    fn record(&mut self, record: Record) -> Result<()> {
        writeln!(self.file, "{}", record.to_line())?;
        self.results.records.push(record);
        Ok(())
    }
}

async fn measure_all(options: Options) -> Result<Results> {
    let peers = Peers::spawn(&options.others)?;
    let mut sink = Sink {
        file: std::fs::File::create(&options.out)?,
        results: Results::default(),
    };
    machine_facts(&mut sink)?;
    let mut counter = 0;
    for backend in Backend::ALL {
        if options.only.is_some_and(|only| only != backend) {
            continue;
        }
        sink.meta(&format!("load average before {}", backend.name()), load())?;
        match backend {
            Backend::Postgres => postgres(&peers, &options, &mut sink, &mut counter).await?,
            Backend::Sqlite => sqlite(&peers, &options, &mut sink, &mut counter).await?,
        }
        sink.meta(&format!("load average after {}", backend.name()), load())?;
    }
    peers.finish().await?;
    Ok(sink.results)
}

async fn postgres(
    peers: &Arc<Peers>,
    options: &Options,
    sink: &mut Sink,
    counter: &mut u64,
) -> Result<()> {
    postgres_database(async |url| {
        let raw = Local::new("raw", RawPg::connect(url).await?);
        sink.meta("PostgreSQL", raw.ops().server_version().await?)?;
        let orm = Local::new("orm", orm::postgres::Orm::connect(url).await?);
        let others = peers.open(Backend::Postgres, url).await?;
        let mut libraries: Vec<&dyn Library> = vec![&raw, &orm];
        libraries.extend(others.iter().map(|l| l as &dyn Library));
        let reset = || -> BoxFuture<'_, Result<()>> { Box::pin(raw.ops().reset()) };
        let result = workloads(
            Backend::Postgres,
            &libraries,
            &reset,
            options,
            sink,
            counter,
        )
        .await;
        peers.request(&Request::Close).await?;
        result
    })
    .await
}

async fn sqlite(
    peers: &Arc<Peers>,
    options: &Options,
    sink: &mut Sink,
    counter: &mut u64,
) -> Result<()> {
    sqlite_database(async |path| {
        sink.meta("SQLite (raw, orm)", RawSqlite::library_version())?;
        let raw = Local::new("raw", RawSqlite::open(path)?);
        let orm = Local::new("orm", orm::sqlite::Orm::open(path).await?);
        let others = peers.open(Backend::Sqlite, path).await?;
        sink.meta("SQLite (peers)", peers.request(&Request::Info).await?)?;
        let mut libraries: Vec<&dyn Library> = vec![&raw, &orm];
        libraries.extend(others.iter().map(|l| l as &dyn Library));
        let reset = || -> BoxFuture<'_, Result<()>> { Box::pin(async { raw.ops().reset() }) };
        let result = workloads(Backend::Sqlite, &libraries, &reset, options, sink, counter).await;
        peers.request(&Request::Close).await?;
        result
    })
    .await
}

/// Runs `f` on a new PostgreSQL database holding the data set, then drops the database.
async fn postgres_database<T>(f: impl AsyncFnOnce(&str) -> Result<T>) -> Result<T> {
    let admin_url = std::env::var("PEERS_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("peers_bench_{}", std::process::id());
    let url = with_database(&admin_url, &name)?;
    let (admin, connection) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    // Commits do not wait for the disk: the write workloads then measure the libraries rather
    // than the shared machine's fsync, the same for everyone.
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
        format!("ALTER DATABASE {name} SET synchronous_commit = off"),
    ] {
        admin.batch_execute(&statement).await?;
    }
    let outcome = match RawPg::seed(&url).await {
        Ok(()) => f(&url).await,
        Err(err) => Err(err),
    };
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    outcome
}

/// Runs `f` on a new SQLite file holding the data set, then deletes the file.
async fn sqlite_database<T>(f: impl AsyncFnOnce(&str) -> Result<T>) -> Result<T> {
    // tmpfs where there is one: a commit's fsync then costs nothing, as on PostgreSQL above.
    let dir = Path::new("/dev/shm");
    let dir = if dir.is_dir() {
        dir.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    let file = dir.join(format!("peers-bench-{}.db", std::process::id()));
    let path = file
        .to_str()
        .ok_or("a temporary path that is not UTF-8")?
        .to_owned();
    remove_database(&file);
    let outcome = match RawSqlite::seed(&path) {
        Ok(()) => f(&path).await,
        Err(err) => Err(err),
    };
    remove_database(&file);
    outcome
}

fn remove_database(file: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = file.as_os_str().to_owned();
        name.push(suffix);
        // Absent files are the expected case before a run.
        let _ = std::fs::remove_file(name);
    }
}

async fn workloads(
    backend: Backend,
    libraries: &[&dyn Library],
    reset: Reset<'_>,
    options: &Options,
    sink: &mut Sink,
    counter: &mut u64,
) -> Result<()> {
    for workload in Workload::ALL {
        let digest = harness::check(libraries, workload, reset, counter).await?;
        let plan = plan(backend, workload, options.scale);
        eprintln!(
            "{} {}: every library returns {digest}; {} rounds of {}",
            backend.name(),
            workload.name(),
            plan.rounds,
            plan.iterations
        );
        for measured in harness::interleave(libraries, workload, plan, reset, counter).await? {
            eprintln!(
                "  {:<10} {:>10.1} µs  ratio {:.3} ({:.3}–{:.3})",
                measured.library,
                measured.micros,
                measured.ratio[1],
                measured.ratio[0],
                measured.ratio[2]
            );
            sink.record(Record {
                backend,
                workload,
                plan,
                measured,
            })?;
        }
    }
    Ok(())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> Result<String> {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base
        .find("://")
        .map(|i| i + 3)
        .ok_or("PEERS_PG_URL is not a URL")?;
    let path_start = base[authority_end..]
        .find('/')
        .map_or(base.len(), |i| authority_end + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn machine_facts(sink: &mut Sink) -> Result<()> {
    sink.meta(
        "date (UTC)",
        chrono::Utc::now().format("%Y-%m-%d %H:%M").to_string(),
    )?;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    sink.meta("cores", cores.to_string())?;
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    sink.meta("CPU", cpu)?;
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned());
    sink.meta("rustc", rustc)?;
    sink.meta(
        "pool size",
        format!("{} connections per library", data::POOL_SIZE),
    )?;
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crates = [
        (
            here.join("Cargo.lock"),
            &[
                "tokio-postgres",
                "deadpool",
                "rusqlite",
                "libsqlite3-sys",
            ][..],
        ),
        (
            here.join("../others/Cargo.lock"),
            &[
                "diesel",
                "diesel-async",
                "sqlx",
                "sea-orm",
                "sea-query",
                "rusqlite",
                "libsqlite3-sys",
            ][..],
        ),
    ];
    for ((lock, names), side) in crates.iter().zip(["raw, orm", "peers"]) {
        let text = std::fs::read_to_string(lock)?;
        let versions: Vec<String> = names
            .iter()
            .map(|name| format!("{name} {}", locked_version(&text, name)))
            .collect();
        sink.meta(&format!("crates ({side})"), versions.join(", "))?;
    }
    Ok(())
}

/// The version of `name` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> String {
    let needle = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == needle
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = "))
        {
            return version.trim_matches('"').to_owned();
        }
    }
    "?".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_name_is_replaced_keeping_the_rest() {
        assert_eq!(
            with_database("postgres://u@h:5432/postgres?sslmode=disable", "b").unwrap(),
            "postgres://u@h:5432/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h", "b").unwrap(),
            "postgres://u@h/b"
        );
        assert!(with_database("nonsense", "b").is_err());
    }

    #[test]
    fn plans_have_odd_round_counts_of_at_least_three() {
        for backend in Backend::ALL {
            for workload in Workload::ALL {
                for scale in [0.01, 0.2, 1.0, 2.0] {
                    let plan = plan(backend, workload, scale);
                    assert!(plan.rounds >= 3 && plan.rounds % 2 == 1, "{plan:?}");
                }
            }
        }
    }

    #[test]
    fn locked_versions_are_read_from_the_lockfile() {
        let lock = "[[package]]\nname = \"sqlx\"\nversion = \"0.9.0\"\n";
        assert_eq!(locked_version(lock, "sqlx"), "0.9.0");
        assert_eq!(locked_version(lock, "diesel"), "?");
    }
}
