//! The peers' process (`peers-others`) as libraries of this one: each of its libraries is a
//! [`Library`] whose batches run over there, timed there (see `peers_common::protocol`).

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use peers_common::harness::{BoxFuture, Library};
use peers_common::protocol::{Request, parse_answer};
use peers_common::{Backend, Digest, Result, Workload};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Mutex;

/// The running peers' process.
pub struct Peers {
    io: Mutex<Io>,
    child: Mutex<Child>,
}

struct Io {
    /// `None` once finished: closing it ends the child's request loop.
    stdin: Option<ChildStdin>,
    stdout: Lines<BufReader<ChildStdout>>,
}

impl Peers {
    /// Starts the binary at `path`; its stderr is this process's.
    ///
    /// # Errors
    ///
    /// It could not be started.
    pub fn spawn(path: &str) -> Result<Arc<Peers>> {
        let mut child = Command::new(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("cannot start {path}: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
        Ok(Arc::new(Peers {
            io: Mutex::new(Io {
                stdin: Some(stdin),
                stdout,
            }),
            child: Mutex::new(child),
        }))
    }

    /// Sends `request`, returns what follows `ok` in the answer.
    ///
    /// # Errors
    ///
    /// The process answered `error …` or went away.
    pub async fn request(&self, request: &Request) -> Result<String> {
        let mut io = self.io.lock().await;
        let mut line = request.to_line();
        line.push('\n');
        let stdin = io.stdin.as_mut().ok_or("the peers' process was finished")?;
        stdin.write_all(line.as_bytes()).await?;
        stdin.flush().await?;
        let answer = io
            .stdout
            .next_line()
            .await?
            .ok_or("the peers' process exited")?;
        Ok(parse_answer(&answer)
            .map_err(|e| format!("peers' process: {e}"))?
            .to_owned())
    }

    /// Connects its libraries to `target` and returns them.
    ///
    /// # Errors
    ///
    /// A library could not connect.
    pub async fn open(self: &Arc<Self>, backend: Backend, target: &str) -> Result<Vec<Remote>> {
        let names = self
            .request(&Request::Open {
                backend,
                target: target.to_owned(),
            })
            .await?;
        Ok(names
            .split_whitespace()
            .map(|name| Remote {
                name: name.to_owned(),
                peers: Arc::clone(self),
            })
            .collect())
    }

    /// Closes stdin and waits for the process to exit.
    ///
    /// # Errors
    ///
    /// It failed.
    pub async fn finish(&self) -> Result<()> {
        drop(self.io.lock().await.stdin.take());
        let mut child = self.child.lock().await;
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await??;
        if !status.success() {
            return Err(format!("the peers' process exited with {status}").into());
        }
        Ok(())
    }
}

/// One library of the peers' process.
pub struct Remote {
    name: String,
    peers: Arc<Peers>,
}

impl Library for Remote {
    fn name(&self) -> &str {
        &self.name
    }

    fn batch(
        &self,
        workload: Workload,
        first: u64,
        iterations: u64,
    ) -> BoxFuture<'_, Result<Duration>> {
        Box::pin(async move {
            let answer = self
                .peers
                .request(&Request::Batch {
                    library: self.name.clone(),
                    workload,
                    first,
                    iterations,
                })
                .await?;
            Ok(Duration::from_nanos(answer.parse()?))
        })
    }

    fn digest(&self, workload: Workload, n: u64) -> BoxFuture<'_, Result<Digest>> {
        Box::pin(async move {
            let answer = self
                .peers
                .request(&Request::Digest {
                    library: self.name.clone(),
                    workload,
                    n,
                })
                .await?;
            let (rows, sum) = answer.split_once(' ').ok_or("a digest is two numbers")?;
            Ok(Digest {
                rows: rows.parse()?,
                sum: sum.parse()?,
            })
        })
    }
}
