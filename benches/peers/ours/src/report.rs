//! The results: one line per measurement in a TSV file (so a run can be rendered again), and
//! the Markdown tables `BENCHMARKS.md` shows.

use std::fmt::Write as _;

use peers_common::harness::{Measured, Plan};
use peers_common::{Backend, Result, Workload};

/// One library's figures for one workload on one backend.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub backend: Backend,
    pub workload: Workload,
    pub plan: Plan,
    pub measured: Measured,
}

/// Everything a run produced.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Results {
    pub records: Vec<Record>,
    /// Facts about the machine and the versions, in the order found.
    pub meta: Vec<(String, String)>,
}

impl Record {
    /// The record as a TSV line.
    pub fn to_line(&self) -> String {
        let m = &self.measured;
        format!(
            "result\t{}\t{}\t{}\t{:.3}\t{:.4}\t{:.4}\t{:.4}\t{}\t{}",
            self.backend.name(),
            self.workload.name(),
            m.library,
            m.micros,
            m.ratio[0],
            m.ratio[1],
            m.ratio[2],
            self.plan.rounds,
            self.plan.iterations
        )
    }
}

/// A fact as a TSV line.
pub fn meta_line(key: &str, value: &str) -> String {
    format!("meta\t{key}\t{}", value.replace(['\t', '\n'], " "))
}

impl Results {
    /// Reads what [`Record::to_line`] and [`meta_line`] wrote.
    ///
    /// # Errors
    ///
    /// A line of neither form.
    pub fn parse(text: &str) -> Result<Results> {
        let mut results = Results::default();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let bad = || format!("not a result line: {line:?}");
            match fields.as_slice() {
                ["meta", key, value] => results.meta.push(((*key).into(), (*value).into())),
                [
                    "result",
                    backend,
                    workload,
                    library,
                    micros,
                    p25,
                    p50,
                    p75,
                    rounds,
                    iterations,
                ] => results.records.push(Record {
                    backend: Backend::from_name(backend).ok_or_else(bad)?,
                    workload: Workload::from_name(workload).ok_or_else(bad)?,
                    plan: Plan {
                        rounds: rounds.parse()?,
                        iterations: iterations.parse()?,
                    },
                    measured: Measured {
                        library: (*library).to_owned(),
                        micros: micros.parse()?,
                        ratio: [p25.parse()?, p50.parse()?, p75.parse()?],
                    },
                }),
                _ => return Err(bad().into()),
            }
        }
        Ok(results)
    }

    /// The tables (one per backend: a row per workload, the baseline's median time, then every
    /// library's median ratio to it with the interquartile range) and the facts of the run.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for backend in Backend::ALL {
            let records: Vec<&Record> = self
                .records
                .iter()
                .filter(|r| r.backend == backend)
                .collect();
            let Some(first) = records.first() else {
                continue;
            };
            let libraries: Vec<&str> = records
                .iter()
                .filter(|r| r.workload == first.workload)
                .map(|r| r.measured.library.as_str())
                .collect();
            let title = match backend {
                Backend::Postgres => "PostgreSQL",
                Backend::Sqlite => "SQLite",
            };
            let _ = writeln!(out, "#### {title}\n");
            let mut header = format!("| workload | {} (median) |", libraries[0]);
            let mut rule = String::from("| --- | ---: |");
            for library in &libraries[1..] {
                let _ = write!(header, " {library} |");
                rule.push_str(" ---: |");
            }
            let _ = writeln!(out, "{header}\n{rule}");
            for workload in Workload::ALL {
                let row: Vec<&Record> = records
                    .iter()
                    .copied()
                    .filter(|r| r.workload == workload)
                    .collect();
                let Some(base) = row.first() else {
                    continue;
                };
                let mut line = format!(
                    "| {} | {} |",
                    label(workload),
                    duration(base.measured.micros)
                );
                for library in &libraries[1..] {
                    match row.iter().find(|r| r.measured.library == *library) {
                        Some(r) => {
                            let [low, median, high] = r.measured.ratio;
                            let _ = write!(line, " {median:.2} ({low:.2}–{high:.2}) |");
                        }
                        None => line.push_str(" — |"),
                    }
                }
                let _ = writeln!(out, "{line}");
            }
            let plans: Vec<String> = Workload::ALL
                .iter()
                .filter_map(|w| records.iter().find(|r| r.workload == *w))
                .map(|r| {
                    format!(
                        "{} {}×{}",
                        r.workload.name(),
                        r.plan.rounds,
                        r.plan.iterations
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "\nRounds × operations per batch: {}.\n",
                plans.join(", ")
            );
        }
        let _ = writeln!(out, "Run facts:\n");
        for (key, value) in &self.meta {
            let _ = writeln!(out, "- {key}: {value}");
        }
        out
    }
}

fn label(workload: Workload) -> &'static str {
    match workload {
        Workload::FindUnique => "`find_unique` by id",
        Workload::FindMany => "`find_many`, 1000 rows",
        Workload::Nested => "100 users × 10 orders, nested",
        Workload::Create => "`create`, one row",
        Workload::CreateMany => "`create_many`, 10,000 rows",
        Workload::Transaction => "interactive transaction",
    }
}

fn duration(micros: f64) -> String {
    if micros >= 1000.0 {
        format!("{:.2} ms", micros / 1000.0)
    } else {
        format!("{micros:.1} µs")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(backend: Backend, workload: Workload, library: &str, ratio: f64) -> Record {
        Record {
            backend,
            workload,
            plan: Plan {
                rounds: 3,
                iterations: 2,
            },
            measured: Measured {
                library: library.into(),
                micros: 1234.5,
                ratio: [ratio - 0.01, ratio, ratio + 0.01],
            },
        }
    }

    #[test]
    fn results_round_trip_through_tsv_and_render_one_table_per_backend() {
        let results = Results {
            records: vec![
                record(Backend::Sqlite, Workload::FindMany, "raw", 1.0),
                record(Backend::Sqlite, Workload::FindMany, "orm", 1.05),
            ],
            meta: vec![("cores".into(), "2".into())],
        };
        let mut tsv: Vec<String> = results.records.iter().map(Record::to_line).collect();
        tsv.push(meta_line("cores", "2"));
        assert_eq!(Results::parse(&tsv.join("\n")).unwrap(), results);
        let markdown = results.markdown();
        assert!(!markdown.contains("PostgreSQL"), "{markdown}");
        assert!(
            markdown.contains("| `find_many`, 1000 rows | 1.23 ms | 1.05 (1.04–1.06) |"),
            "{markdown}"
        );
        assert!(markdown.contains("- cores: 2"), "{markdown}");
        assert!(Results::parse("result\tsqlite").is_err());
    }
}
