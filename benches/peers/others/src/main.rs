//! The benchmark against the other Rust ORMs: the peers' process. Started by the coordinator
//! (`peers-ours`), it connects Diesel, SQLx, SeaORM and a control copy of the raw driver to
//! the database the coordinator names, and times the batches it asks for (the protocol is in
//! `peers_common::protocol`). It is never run by hand.

mod diesel_pg;
mod diesel_sqlite;
// The coordinator seeds and resets the database; this process only runs the operations.
#[allow(dead_code)]
#[path = "../../common/raw/pg.rs"]
mod raw_pg;
#[allow(dead_code)]
#[path = "../../common/raw/sqlite.rs"]
mod raw_sqlite;
mod seaorm;
mod sqlx_pg;
mod sqlx_sqlite;

use std::process::ExitCode;

use peers_common::harness::{Library, Local};
use peers_common::protocol::{Request, error_line};
use peers_common::{Backend, Result};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("peers-others: {err}");
            return ExitCode::FAILURE;
        }
    };
    // A spawned task, as in the coordinator and in a service.
    match runtime.block_on(async { tokio::spawn(serve()).await }) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprintln!("peers-others: {}", peers_common::describe(&*err));
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("peers-others: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Answers requests until stdin closes.
async fn serve() -> Result<()> {
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut stdout = tokio::io::stdout();
    let mut libraries = Vec::new();
    while let Some(line) = lines.next_line().await? {
        let answer = match Request::parse(&line) {
            Ok(request) => match handle(request, &mut libraries).await {
                Ok(text) => format!("ok {text}"),
                Err(err) => error_line(&peers_common::describe(&*err)),
            },
            Err(err) => error_line(&err),
        };
        stdout.write_all(answer.as_bytes()).await?;
        stdout.write_all(b"\n").await?;
        stdout.flush().await?;
    }
    Ok(())
}

async fn handle(request: Request, libraries: &mut Vec<Box<dyn Library>>) -> Result<String> {
    let find = |libraries: &[Box<dyn Library>], name: &str| -> Result<usize> {
        libraries
            .iter()
            .position(|l| l.name() == name)
            .ok_or_else(|| format!("no library {name} is open").into())
    };
    Ok(match request {
        Request::Open { backend, target } => {
            *libraries = open(backend, &target).await?;
            let names: Vec<&str> = libraries.iter().map(|l| l.name()).collect();
            names.join(" ")
        }
        Request::Batch {
            library,
            workload,
            first,
            iterations,
        } => {
            let library = &libraries[find(libraries, &library)?];
            let elapsed = library.batch(workload, first, iterations).await?;
            elapsed.as_nanos().to_string()
        }
        Request::Digest {
            library,
            workload,
            n,
        } => {
            let digest = libraries[find(libraries, &library)?]
                .digest(workload, n)
                .await?;
            format!("{} {}", digest.rows, digest.sum)
        }
        Request::Info => rusqlite::version().to_owned(),
        Request::Close => {
            libraries.clear();
            String::new()
        }
    })
}

/// Every library of this process, connected to `target`.
async fn open(backend: Backend, target: &str) -> Result<Vec<Box<dyn Library>>> {
    Ok(match backend {
        Backend::Postgres => vec![
            Box::new(Local::new(
                "diesel",
                diesel_pg::DieselPg::connect(target).await?,
            )),
            Box::new(Local::new("sqlx", sqlx_pg::SqlxPg::connect(target).await?)),
            Box::new(Local::new(
                "sea-orm",
                seaorm::postgres::SeaOrm::connect(target).await?,
            )),
            Box::new(Local::new(
                "raw-peers",
                raw_pg::RawPg::connect(target).await?,
            )),
        ],
        Backend::Sqlite => vec![
            Box::new(Local::new(
                "diesel",
                diesel_sqlite::DieselSqlite::open(target)?,
            )),
            Box::new(Local::new(
                "sqlx",
                sqlx_sqlite::SqlxSqlite::open(target).await?,
            )),
            Box::new(Local::new(
                "sea-orm",
                seaorm::sqlite::SeaOrm::connect(&format!("sqlite://{target}?mode=rw")).await?,
            )),
            Box::new(Local::new(
                "raw-peers",
                raw_sqlite::RawSqlite::open(target)?,
            )),
        ],
    })
}
