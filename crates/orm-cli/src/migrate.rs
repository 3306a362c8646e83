//! `orm migrate dev|deploy|status|reset|resolve|diff` and `orm db push`.
//!
//! Every command reads the schema path (`--schema`, default `prisma/schema.prisma`, then
//! `schema.prisma`), the database URL (`--url`, default `$DATABASE_URL`) and the migrations
//! folder (`--migrations`, default `migrations` beside the schema). Nothing prompts unless
//! standard input is a terminal; flags answer every question.
//!
//! Exit codes: 0 done (for `status`: up to date), 1 failed or not up to date, 2 bad usage.

pub mod connect;
mod schema;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use orm_core::Adapter;
use orm_core::migrate::{
    self, Diagnostics, LocalMigration, MigrationStatus, MigrationsDir, SqlSchema,
};

use connect::{Shadow, connect};

/// Where a command finds the schema, the database and the migrations folder.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Target {
    /// The Prisma schema [default: prisma/schema.prisma, then schema.prisma]
    #[arg(long)]
    pub schema: Option<PathBuf>,
    /// The database URL [default: $DATABASE_URL]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub url: Option<String>,
    /// The migrations folder [default: `migrations` beside the schema]
    #[arg(long)]
    pub migrations: Option<PathBuf>,
}

impl Target {
    /// The schema file, found as `orm validate` finds it
    /// ([`find_schema`](crate::validate::find_schema)) from the current directory; when there is
    /// none, the first default path (`prisma/schema.prisma`), which reading then reports as
    /// missing.
    pub fn schema_path(&self) -> PathBuf {
        crate::validate::find_schema(self.schema.as_deref(), Path::new(""))
            .unwrap_or_else(|| PathBuf::from(crate::validate::DEFAULT_SCHEMA_PATHS[0]))
    }

    /// The migrations folder: `--migrations`, else `migrations` beside the schema.
    pub fn migrations_dir(&self) -> MigrationsDir {
        let path = match &self.migrations {
            Some(path) => path.clone(),
            None => self
                .schema_path()
                .parent()
                .map(|p| p.join("migrations"))
                .unwrap_or_else(|| PathBuf::from("migrations")),
        };
        MigrationsDir::new(path)
    }

    /// The database URL.
    ///
    /// # Errors
    ///
    /// When neither `--url` nor `DATABASE_URL` is set.
    pub fn url(&self) -> anyhow::Result<&str> {
        self.url
            .as_deref()
            .filter(|u| !u.is_empty())
            .ok_or_else(|| anyhow!("no database URL: pass --url or set DATABASE_URL"))
    }
}

/// `orm migrate …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum MigrateCommand {
    /// Create a migration from the schema's changes, apply it, and record it
    Dev {
        /// Where the schema, database and migrations are.
        #[command(flatten)]
        target: Target,
        /// The migration's name (the folder is `<timestamp>_<name>`)
        #[arg(long, short)]
        name: Option<String>,
        /// Write the migration without applying it
        #[arg(long)]
        create_only: bool,
        /// Apply even when the migration loses data
        #[arg(long)]
        accept_data_loss: bool,
        /// Reset the database without asking when its history or shape diverges
        #[arg(long)]
        force_reset: bool,
    },
    /// Apply pending migrations, in order
    Deploy {
        /// Where the schema, database and migrations are.
        #[command(flatten)]
        target: Target,
    },
    /// Compare the migrations folder with the database's history
    Status {
        /// Where the schema, database and migrations are.
        #[command(flatten)]
        target: Target,
    },
    /// Drop everything in the database and apply every migration
    Reset {
        /// Where the schema, database and migrations are.
        #[command(flatten)]
        target: Target,
        /// Do not ask for confirmation
        #[arg(long, short)]
        force: bool,
    },
    /// Record a failed migration as applied or rolled back
    Resolve {
        /// Where the schema, database and migrations are.
        #[command(flatten)]
        target: Target,
        /// Record this migration as applied (its changes were completed by hand)
        #[arg(
            long,
            conflicts_with = "rolled_back",
            required_unless_present = "rolled_back"
        )]
        applied: Option<String>,
        /// Record this failed migration as rolled back (its partial changes were reverted)
        #[arg(long)]
        rolled_back: Option<String>,
    },
    /// Compare two schema sources and print the difference or the SQL script
    Diff(DiffArgs),
}

/// `orm db …`.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum DbCommand {
    /// Make the database match the schema without a migration
    Push {
        /// Where the schema, database and migrations are.
        #[command(flatten)]
        target: Target,
        /// Apply even when the change loses data
        #[arg(long)]
        accept_data_loss: bool,
        /// Reset the database first
        #[arg(long)]
        force_reset: bool,
    },
}

/// The sides of `migrate diff`: exactly one `--from-…` and one `--to-…`.
#[derive(Debug, Clone, Default, clap::Args)]
#[command(group(clap::ArgGroup::new("from").required(true)))]
#[command(group(clap::ArgGroup::new("to").required(true)))]
pub struct DiffArgs {
    /// From nothing
    #[arg(long, group = "from")]
    pub from_empty: bool,
    /// From the shape a Prisma schema describes
    #[arg(long, group = "from", value_name = "PATH")]
    pub from_schema: Option<PathBuf>,
    /// From the shape a migrations folder builds (replayed into a shadow database)
    #[arg(long, group = "from", value_name = "PATH")]
    pub from_migrations: Option<PathBuf>,
    /// From a live database
    #[arg(long, group = "from", value_name = "URL")]
    pub from_url: Option<String>,
    /// To nothing
    #[arg(long, group = "to")]
    pub to_empty: bool,
    /// To the shape a Prisma schema describes
    #[arg(long, group = "to", value_name = "PATH")]
    pub to_schema: Option<PathBuf>,
    /// To the shape a migrations folder builds
    #[arg(long, group = "to", value_name = "PATH")]
    pub to_migrations: Option<PathBuf>,
    /// To a live database
    #[arg(long, group = "to", value_name = "URL")]
    pub to_url: Option<String>,
    /// A database to replay migrations folders into [default: a temporary database beside
    /// $DATABASE_URL on PostgreSQL, in memory on SQLite]
    #[arg(long, env = "SHADOW_DATABASE_URL", hide_env_values = true)]
    pub shadow_database_url: Option<String>,
    /// Print the SQL script instead of a summary
    #[arg(long)]
    pub script: bool,
    /// Exit with 2 when there is a difference, 0 when there is none
    #[arg(long)]
    pub exit_code: bool,
}

/// Runs a `migrate` command, printing to stdout and errors to stderr.
pub fn run(command: MigrateCommand) -> ExitCode {
    finish(block_on(async {
        let out = &mut std::io::stdout();
        match command {
            MigrateCommand::Dev {
                target,
                name,
                create_only,
                accept_data_loss,
                force_reset,
            } => {
                let options = DevOptions {
                    name,
                    create_only,
                    accept_data_loss,
                    force_reset,
                };
                dev(&target, &options, out).await
            }
            MigrateCommand::Deploy { target } => deploy(&target, out).await,
            MigrateCommand::Status { target } => status(&target, out).await,
            MigrateCommand::Reset { target, force } => reset(&target, force, out).await,
            MigrateCommand::Resolve {
                target,
                applied,
                rolled_back,
            } => resolve(&target, applied.as_deref(), rolled_back.as_deref(), out).await,
            MigrateCommand::Diff(args) => diff(&args, out).await,
        }
    }))
}

/// Runs a `db` command.
pub fn run_db(command: DbCommand) -> ExitCode {
    finish(block_on(async {
        let out = &mut std::io::stdout();
        match command {
            DbCommand::Push {
                target,
                accept_data_loss,
                force_reset,
            } => db_push(&target, accept_data_loss, force_reset, out).await,
        }
    }))
}

fn block_on<T>(future: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(future)
}

fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("{}", error_report(&error));
            ExitCode::FAILURE
        }
    }
}

/// How a failed command's error is printed: `error: <message>`, then one `caused by: <cause>`
/// line per cause in the error's chain whose text the lines before do not already contain.
/// Many errors repeat their source in their own message (`cannot access `x`: Not a
/// directory`); printing the chain after such a message would say the same thing twice.
pub fn error_report(error: &anyhow::Error) -> String {
    let mut report = format!("error: {error}");
    for cause in error.chain().skip(1) {
        let text = cause.to_string();
        if !report.contains(&text) {
            report.push_str("\ncaused by: ");
            report.push_str(&text);
        }
    }
    report
}

/// Asks a yes/no question on the terminal; `None` when stdin is not a terminal.
fn confirm(question: &str) -> Option<bool> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).ok()?;
    Some(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

/// Reads the folder's migrations, checking the lock file's provider against the database.
fn local_migrations(
    target: &Target,
    adapter: &dyn Adapter,
) -> anyhow::Result<(MigrationsDir, Vec<LocalMigration>)> {
    let dir = target.migrations_dir();
    let actual = adapter.dialect().provider();
    if let Some(locked) = dir.locked_provider()?
        && locked != actual
    {
        return Err(migrate::MigrateError::ProviderMismatch { locked, actual }.into());
    }
    let migrations = dir.migrations()?;
    Ok((dir, migrations))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `migrate deploy`: applies pending migrations, printing each with its duration.
///
/// # Errors
///
/// The refusal or failure of [`migrate::deploy`], with the failing statement and its line.
pub async fn deploy(target: &Target, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let adapter = connect(target.url()?).await?;
    let (dir, migrations) = local_migrations(target, &*adapter)?;
    writeln!(
        out,
        "{} found in {}",
        plural(migrations.len(), "migration"),
        dir.path().display()
    )?;
    let applied = apply_pending(&*adapter, &migrations, out).await?;
    if applied.is_empty() {
        writeln!(out, "No pending migrations to apply.")?;
    } else {
        writeln!(out, "All migrations have been successfully applied.")?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn apply_pending(
    adapter: &dyn Adapter,
    migrations: &[LocalMigration],
    out: &mut dyn Write,
) -> anyhow::Result<Vec<migrate::AppliedMigration>> {
    let mut lines = Vec::new();
    let result = migrate::deploy(adapter, migrations, &mut |applied| {
        lines.push(format!(
            "Applied migration `{}` in {} ms",
            applied.name,
            applied.duration.as_millis()
        ));
    })
    .await;
    for line in &lines {
        writeln!(out, "{line}")?;
    }
    Ok(result?)
}

/// `migrate status`: exit code 0 only when the database is up to date.
///
/// # Errors
///
/// When the database or the folder cannot be read.
pub async fn status(target: &Target, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let adapter = connect(target.url()?).await?;
    let (dir, migrations) = local_migrations(target, &*adapter)?;
    writeln!(
        out,
        "{} found in {}",
        plural(migrations.len(), "migration"),
        dir.path().display()
    )?;
    let status = migrate::status(&*adapter, &migrations).await?;
    write_status(&status, out)?;
    Ok(if status.is_up_to_date() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn write_status(status: &MigrationStatus, out: &mut dyn Write) -> anyhow::Result<()> {
    if status.is_up_to_date() {
        writeln!(out, "Database schema is up to date!")?;
        return Ok(());
    }
    let lists: [(&[String], &str); 4] = [
        (&status.pending, "have not yet been applied"),
        (
            &status.failed,
            "failed (resolve with `orm migrate resolve`)",
        ),
        (
            &status.edited,
            "were modified after they were applied (checksum mismatch)",
        ),
        (
            &status.missing_locally,
            "are applied to the database but missing from the migrations folder",
        ),
    ];
    for (names, what) in lists {
        if !names.is_empty() {
            writeln!(out, "The following migrations {what}:")?;
            for name in names {
                writeln!(out, "  {name}")?;
            }
        }
    }
    Ok(())
}

/// `migrate resolve --applied N | --rolled-back N`.
///
/// # Errors
///
/// When the migration is unknown or its recorded state does not allow it.
pub async fn resolve(
    target: &Target,
    applied: Option<&str>,
    rolled_back: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let adapter = connect(target.url()?).await?;
    let (_, migrations) = local_migrations(target, &*adapter)?;
    match (applied, rolled_back) {
        (Some(name), None) => {
            migrate::resolve_applied(&*adapter, &migrations, name).await?;
            writeln!(out, "Migration {name} marked as applied.")?;
        }
        (None, Some(name)) => {
            migrate::resolve_rolled_back(&*adapter, name).await?;
            writeln!(out, "Migration {name} marked as rolled back.")?;
        }
        _ => bail!("pass exactly one of --applied or --rolled-back"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `migrate reset`: drops everything and applies every migration. Asks first on a terminal;
/// elsewhere requires `--force`.
///
/// # Errors
///
/// When not confirmed, or the reset or a migration fails.
pub async fn reset(target: &Target, force: bool, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let url = target.url()?;
    if !force {
        match confirm(&format!(
            "Reset the database at {}? All data will be lost.",
            connect::redact(url)
        )) {
            Some(true) => {}
            Some(false) => bail!("reset cancelled"),
            None => {
                bail!("`migrate reset` drops all data; pass --force to run it without a terminal")
            }
        }
    }
    let adapter = connect(url).await?;
    let (_, migrations) = local_migrations(target, &*adapter)?;
    migrate::reset_database(&*adapter).await?;
    writeln!(out, "Database reset.")?;
    let applied = apply_pending(&*adapter, &migrations, out).await?;
    writeln!(out, "{} applied.", plural(applied.len(), "migration"))?;
    Ok(ExitCode::SUCCESS)
}

/// Replays `migrations` into a fresh shadow database beside `url` and reads its shape.
async fn replay_into_shadow(url: &str, migrations: &[LocalMigration]) -> anyhow::Result<SqlSchema> {
    let shadow = Shadow::create(url).await?;
    let result = async {
        for migration in migrations {
            migrate::run_script(&*shadow.adapter, &migration.name, &migration.script)
                .await
                .with_context(|| {
                    format!(
                        "migration `{}` failed to apply cleanly to the shadow database",
                        migration.name
                    )
                })?;
        }
        Ok::<_, anyhow::Error>(migrate::introspect(&*shadow.adapter).await?)
    }
    .await;
    shadow.close().await?;
    result
}

/// `migrate diff`.
///
/// # Errors
///
/// When a side cannot be read, or the two sides are for different databases.
pub async fn diff(args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let from = read_side(
        args.from_empty,
        &args.from_schema,
        &args.from_migrations,
        &args.from_url,
        args,
    )
    .await?;
    let to = read_side(
        args.to_empty,
        &args.to_schema,
        &args.to_migrations,
        &args.to_url,
        args,
    )
    .await?;
    let dialect = match (from.1, to.1) {
        (Some(a), Some(b)) if a != b => bail!("cannot diff a {a} side against a {b} side"),
        (Some(d), _) | (_, Some(d)) => d,
        (None, None) => bail!("cannot tell the database provider when both sides are empty"),
    };
    let migration = migrate::diff(&from.0, &to.0, dialect);
    if args.script {
        let mut text = migrate::render_script(&migration, &[]);
        // Prisma creates the schema first when a PostgreSQL script starts from nothing.
        if dialect == orm_core::Dialect::Postgres
            && args.from_empty
            && args.to_schema.is_some()
            && !migration.is_empty()
        {
            text = format!("-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS \"public\";\n\n{text}");
        }
        writeln!(out, "{text}")?;
    } else {
        writeln!(out, "{}", migrate::render_summary(&migration))?;
    }
    Ok(if args.exit_code && !migration.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

async fn read_side(
    empty: bool,
    schema_path: &Option<PathBuf>,
    migrations: &Option<PathBuf>,
    url: &Option<String>,
    args: &DiffArgs,
) -> anyhow::Result<(SqlSchema, Option<orm_core::Dialect>)> {
    if empty {
        return Ok((SqlSchema::default(), None));
    }
    if let Some(path) = schema_path {
        let loaded = schema::load(path)?;
        return Ok((loaded.target, Some(loaded.dialect)));
    }
    if let Some(url) = url {
        let adapter = connect(url).await?;
        return Ok((
            migrate::introspect(&*adapter).await?,
            Some(adapter.dialect()),
        ));
    }
    if let Some(path) = migrations {
        let dir = MigrationsDir::new(path);
        let provider = dir.locked_provider()?;
        let shadow_url = match (&args.shadow_database_url, provider.as_deref()) {
            (Some(url), _) => url.clone(),
            (None, Some("sqlite")) => ":memory:".to_owned(),
            (None, _) => std::env::var("DATABASE_URL").map_err(|_| {
                anyhow!(
                    "replaying a migrations folder on PostgreSQL needs a server: pass --shadow-database-url or set DATABASE_URL"
                )
            })?,
        };
        let dialect = connect::dialect_of(&shadow_url)?;
        let shape = replay_into_shadow(&shadow_url, &dir.migrations()?).await?;
        return Ok((shape, Some(dialect)));
    }
    bail!("missing side of the diff")
}

/// Options of `migrate dev`.
#[derive(Debug, Clone, Default)]
pub struct DevOptions {
    /// The new migration's name.
    pub name: Option<String>,
    /// Write without applying.
    pub create_only: bool,
    /// Apply despite data-loss warnings.
    pub accept_data_loss: bool,
    /// Reset without asking when the database diverges from the history.
    pub force_reset: bool,
}

fn write_diagnostics(diagnostics: &Diagnostics, out: &mut dyn Write) -> anyhow::Result<()> {
    if diagnostics.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n⚠️  Warnings for the current datasource:\n")?;
    for line in diagnostics.all() {
        writeln!(out, "  • {line}")?;
    }
    writeln!(out)?;
    Ok(())
}

/// Asks to reset (or takes `--force-reset`), explaining `why`; errors when it may not.
async fn reset_for(
    adapter: &dyn Adapter,
    why: &str,
    force_reset: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(out, "{why}")?;
    let allowed = force_reset
        || confirm("We need to reset the database; all data will be lost. Continue?") == Some(true);
    if !allowed {
        bail!(
            "{why}\nthe database must be reset to continue: run `orm migrate reset`, or pass --force-reset"
        );
    }
    migrate::reset_database(adapter).await?;
    writeln!(out, "Database reset.")?;
    Ok(())
}

/// `migrate dev`: replays the history into a shadow database, checks the development database
/// against it (history and drift), applies pending migrations, then writes (and unless
/// `--create-only` applies) a new migration for the schema's changes.
///
/// # Errors
///
/// When the schema is invalid, the database diverges and may not be reset, a migration fails,
/// or the new migration would lose data without `--accept-data-loss` (on a terminal: a
/// confirmation).
pub async fn dev(
    target: &Target,
    options: &DevOptions,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let loaded = schema::load(&target.schema_path())?;
    let url = target.url()?;
    let adapter = connect(url).await?;
    if adapter.dialect() != loaded.dialect {
        bail!(
            "the schema's provider is {} but the database URL is for {}",
            loaded.dialect.provider(),
            adapter.dialect().provider()
        );
    }
    let (dir, migrations) = local_migrations(target, &*adapter)?;

    // 1. The history: failed, edited or unknown applied migrations mean a reset.
    let status = migrate::status(&*adapter, &migrations).await?;
    let mut reset_done = false;
    let problem = if let Some(name) = status.failed.first() {
        Some(format!("The migration `{name}` failed."))
    } else if let Some(name) = status.edited.first() {
        Some(format!(
            "The migration `{name}` was modified after it was applied."
        ))
    } else {
        status.missing_locally.first().map(|name| {
            format!("The migration `{name}` is applied to the database but missing from the migrations folder.")
        })
    };
    if let Some(problem) = problem {
        reset_for(&*adapter, &problem, options.force_reset, out).await?;
        reset_done = true;
    }

    // 2. Drift: the database must have the shape its applied migrations build.
    let applied: Vec<LocalMigration> = if reset_done {
        Vec::new()
    } else {
        migrations
            .iter()
            .filter(|m| status.applied.contains(&m.name))
            .cloned()
            .collect()
    };
    let expected = replay_into_shadow(url, &applied).await?;
    let actual = migrate::introspect(&*adapter).await?;
    let drift = migrate::diff(&expected, &actual, adapter.dialect());
    if !drift.is_empty() {
        let why = format!(
            "Drift detected: your database schema is not in sync with your migration history.\n{}",
            migrate::render_summary(&drift)
        );
        reset_for(&*adapter, &why, options.force_reset, out).await?;
    }

    // 3. Pending migrations first, then the schema's changes on top of the whole history.
    let applied_now = apply_pending(&*adapter, &migrations, out).await?;
    let history_shape = replay_into_shadow(url, &migrations).await?;
    let migration = migrate::diff(&history_shape, &loaded.target, adapter.dialect());
    if migration.is_empty() && !options.create_only {
        if applied_now.is_empty() {
            writeln!(
                out,
                "Already in sync, no schema change or pending migration was found."
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let diagnostics = migrate::destructive_warnings(&migration, Some(&*adapter)).await;
    write_diagnostics(&diagnostics, out)?;
    if !diagnostics.unexecutable.is_empty() && !options.create_only {
        bail!(
            "the migration cannot be applied to the current data (see above); fix the data, or write it with --create-only and edit it"
        );
    }
    if !diagnostics.warnings.is_empty() && !options.create_only && !options.accept_data_loss {
        match confirm("Are you sure you want to create and apply this migration?") {
            Some(true) => {}
            Some(false) => bail!("migration cancelled"),
            None => bail!(
                "the migration loses data (see above); pass --accept-data-loss to apply it without a terminal"
            ),
        }
    }
    let name = match &options.name {
        Some(name) => name.clone(),
        None if std::io::stdin().is_terminal() => {
            eprint!("Enter a name for the new migration: ");
            let mut name = String::new();
            std::io::stdin().read_line(&mut name)?;
            name.trim().to_owned()
        }
        None => String::new(),
    };
    let script = migrate::render_script(&migration, &diagnostics.all());
    let created = dir.create(
        chrono::Utc::now(),
        &name,
        &script,
        adapter.dialect().provider(),
    )?;
    writeln!(
        out,
        "Created migration {}",
        dir.path()
            .join(&created.name)
            .join("migration.sql")
            .display()
    )?;
    if options.create_only {
        return Ok(ExitCode::SUCCESS);
    }
    let mut all = migrations;
    all.push(created);
    apply_pending(&*adapter, &all, out).await?;
    writeln!(out, "Your database is now in sync with your schema.")?;
    Ok(ExitCode::SUCCESS)
}

/// `db push`: makes the database match the schema without writing a migration.
///
/// # Errors
///
/// When the change loses data without `--accept-data-loss`, cannot run on the current data,
/// or a statement fails.
pub async fn db_push(
    target: &Target,
    accept_data_loss: bool,
    force_reset: bool,
    out: &mut dyn Write,
) -> anyhow::Result<ExitCode> {
    let loaded = schema::load(&target.schema_path())?;
    let adapter: Arc<dyn Adapter> = connect(target.url()?).await?;
    if force_reset {
        migrate::reset_database(&*adapter).await?;
    }
    let current = migrate::introspect(&*adapter).await?;
    let migration = migrate::diff(&current, &loaded.target, adapter.dialect());
    if migration.is_empty() {
        writeln!(
            out,
            "The database is already in sync with the Prisma schema."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let diagnostics = migrate::destructive_warnings(&migration, Some(&*adapter)).await;
    write_diagnostics(&diagnostics, out)?;
    if !diagnostics.unexecutable.is_empty() {
        bail!(
            "the changes cannot be applied to the current data (see above); use --force-reset to start from an empty database"
        );
    }
    if !diagnostics.warnings.is_empty() && !accept_data_loss {
        match confirm("Do you want to ignore the warnings and continue?") {
            Some(true) => {}
            Some(false) => bail!("push cancelled"),
            None => {
                bail!("the changes lose data (see above); pass --accept-data-loss to apply them")
            }
        }
    }
    let script = migrate::render_script(&migration, &[]);
    let start = std::time::Instant::now();
    migrate::run_script(&*adapter, "db push", &script).await?;
    writeln!(
        out,
        "Your database is now in sync with your Prisma schema. Done in {} ms",
        start.elapsed().as_millis()
    )?;
    Ok(ExitCode::SUCCESS)
}
