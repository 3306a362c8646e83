//! Picking the adapter from a URL's scheme, and shadow databases for replaying migrations.

use std::sync::Arc;

use anyhow::{Context, bail};
use orm_core::{Adapter, Dialect};
use orm_pg::PgAdapter;
use orm_sqlite::SqliteAdapter;

/// The dialect a URL's scheme names: `postgres://`/`postgresql://` or `file:`/`sqlite:`.
///
/// # Errors
///
/// When the scheme is none of these.
pub fn dialect_of(url: &str) -> anyhow::Result<Dialect> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Dialect::Postgres)
    } else if url.starts_with("file:") || url.starts_with("sqlite:") || url == ":memory:" {
        Ok(Dialect::Sqlite)
    } else {
        let scheme = url.split(':').next().unwrap_or_default();
        bail!("unsupported database URL scheme `{scheme}:` (expected postgresql://… or file:…)")
    }
}

/// Connects to the database at `url` with the adapter its scheme picks.
///
/// # Errors
///
/// An unsupported scheme, or the adapter's connection error.
pub async fn connect(url: &str) -> anyhow::Result<Arc<dyn Adapter>> {
    Ok(match dialect_of(url)? {
        Dialect::Sqlite => Arc::new(
            SqliteAdapter::open(url)
                .await
                .context("cannot open the SQLite database")?,
        ),
        _ => Arc::new(
            PgAdapter::connect(url)
                .await
                .with_context(|| format!("cannot connect to {}", redact(url)))?,
        ),
    })
}

/// `url` with any password replaced by `***`, for messages.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let Some(at) = rest.find('@') else {
        return url.to_owned();
    };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end], &rest[at..]),
        None => url.to_owned(),
    }
}

/// Replaces the database name of a `postgres://` URL, keeping its query string.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{database}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A scratch database to replay migrations into: on PostgreSQL a temporary database on the
/// same server, dropped by [`Shadow::close`]; on SQLite an in-memory database.
pub struct Shadow {
    /// The shadow database.
    pub adapter: Arc<dyn Adapter>,
    cleanup: Option<(Arc<dyn Adapter>, String)>,
}

impl Shadow {
    /// Creates a shadow database beside the database at `url`.
    ///
    /// # Errors
    ///
    /// When the server refuses to create the database (the user needs `CREATEDB`).
    pub async fn create(url: &str) -> anyhow::Result<Shadow> {
        match dialect_of(url)? {
            Dialect::Sqlite => Ok(Shadow {
                adapter: Arc::new(SqliteAdapter::open(":memory:").await?),
                cleanup: None,
            }),
            _ => {
                let admin = connect(url).await?;
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or_default();
                let name = format!("prisma_migrate_shadow_db_{}_{nanos}", std::process::id());
                admin
                    .execute_script(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .context("cannot create the shadow database (does the user have CREATEDB?)")?;
                let adapter = match connect(&with_database(url, &name)).await {
                    Ok(adapter) => adapter,
                    Err(e) => {
                        let _ = admin
                            .execute_script(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                            .await;
                        return Err(e);
                    }
                };
                Ok(Shadow {
                    adapter,
                    cleanup: Some((admin, name)),
                })
            }
        }
    }

    /// Drops the shadow database.
    ///
    /// # Errors
    ///
    /// When the server refuses to drop it.
    pub async fn close(self) -> anyhow::Result<()> {
        drop(self.adapter);
        if let Some((admin, name)) = self.cleanup {
            admin
                .execute_script(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await
                .with_context(|| format!("cannot drop the shadow database {name}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_picks_the_dialect() {
        assert_eq!(
            dialect_of("postgresql://u@h/db").unwrap(),
            Dialect::Postgres
        );
        assert_eq!(dialect_of("file:./dev.db").unwrap(), Dialect::Sqlite);
        assert!(
            dialect_of("mysql://h/db")
                .unwrap_err()
                .to_string()
                .contains("mysql")
        );
    }

    #[test]
    fn passwords_are_redacted_and_databases_replaced() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(
            with_database("postgres://u@h:5432/app?sslmode=disable", "shadow"),
            "postgres://u@h:5432/shadow?sslmode=disable"
        );
    }
}
