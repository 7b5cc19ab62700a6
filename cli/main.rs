//! `aftersales`, the command line (feature `cli`): check policy files the way a compiler checks
//! code, answer JSON Lines of requests, and show what a policy change would do to real cases.
//! Every answer comes from the library (`aftersales::engine`, `aftersales::compare`,
//! `aftersales::locate`); this binary reads files, spreads the work over every core (rayon),
//! shows progress on a terminal (indicatif) and prints. docs/cli.md describes it.

mod diff;
mod html;
mod input;
mod run;
mod validate;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "aftersales",
    version,
    about = "Check after-sales policies, answer requests, preview a policy change."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check policy files: every error and warning with its JSON path, line and column.
    Validate {
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 on warnings too (a policy below the statutory floor).
        #[arg(long)]
        deny_warnings: bool,
        /// The warnings' language: `en` or `zh-CN` (errors are in English).
        #[arg(long, default_value = "en")]
        locale: String,
    },
    /// Decide return requests: JSON Lines in (a file, or standard input), JSON Lines out.
    Check(RunArgs),
    /// Quote refunds: JSON Lines in, JSON Lines out.
    Quote(RunArgs),
    /// Decide warranty claims: JSON Lines in, JSON Lines out.
    Warranty(RunArgs),
    /// SLA deadlines of cases: JSON Lines in, JSON Lines out.
    Sla(RunArgs),
    /// What NEW would change against OLD, over the requests of a history (JSON Lines).
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// JSON Lines of requests; `-` or nothing for standard input.
        requests: Option<PathBuf>,
        /// The requests' evaluator: check, quote, warranty, sla, calendar.
        #[arg(long, default_value = "check")]
        evaluator: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also write a self-contained HTML report (a chart of the transitions and the money moved).
        #[arg(long)]
        html: Option<PathBuf>,
        /// Examples kept for each transition.
        #[arg(long, default_value_t = aftersales::compare::DEFAULT_EXAMPLES)]
        examples: usize,
        /// Exit 1 when any answer changed (for CI).
        #[arg(long)]
        fail_on_change: bool,
    },
    /// Print the policy's JSON Schema (draft-07).
    Schema,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    policy: PathBuf,
    /// JSON Lines of requests; `-` or nothing for standard input.
    requests: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// A failure that ends the command: exit 2 with the message (the policy could not be read, a
/// file could not be opened).
#[derive(Debug)]
struct Fatal(String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

/// The evaluator behind a command's short name (`check`), or the name as the library knows it.
fn evaluator(name: &str) -> &str {
    match name {
        "check" | "returns" => "check_return",
        "quote" | "refunds" => "quote_refund",
        "warranty" => "check_warranty",
        "sla" => "sla_deadlines",
        other => other,
    }
}

/// Reads a policy file and compiles it; the message names the file.
fn engine(path: &std::path::Path) -> Result<aftersales::PolicyEngine, Fatal> {
    let text = std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
    aftersales::PolicyEngine::new(&text).map_err(|e| Fatal(format!("{}: {e}", path.display())))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let done = match cli.command {
        Command::Validate { policies, format, deny_warnings, locale } => {
            validate::run(&policies, format, deny_warnings, aftersales::vocabulary::Locale::parse(&locale))
        }
        Command::Check(a) => run::run(&a.policy, a.requests.as_deref(), "check_return"),
        Command::Quote(a) => run::run(&a.policy, a.requests.as_deref(), "quote_refund"),
        Command::Warranty(a) => run::run(&a.policy, a.requests.as_deref(), "check_warranty"),
        Command::Sla(a) => run::run(&a.policy, a.requests.as_deref(), "sla_deadlines"),
        Command::Diff { old, new, requests, evaluator: name, format, html, examples, fail_on_change } => {
            let options =
                diff::Options { evaluator: evaluator(&name), format, html: html.as_deref(), examples, fail_on_change };
            diff::run(&old, &new, requests.as_deref(), &options)
        }
        Command::Schema => {
            print!("{}", include_str!("../pkg/policy.schema.json"));
            Ok(ExitCode::SUCCESS)
        }
    };
    match done {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("aftersales: {message}");
            ExitCode::from(2)
        }
    }
}
