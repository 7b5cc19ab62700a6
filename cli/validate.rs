//! `validate`: every error and warning of each policy file with its JSON path, line and column,
//! as a compiler lists them (`policy.json:4:16: error …`), or as JSON.

use crate::{Fatal, Format};
use aftersales::locate::{validate_located, LocatedValidation};
use aftersales::vocabulary::Locale;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `--format json` prints (the npm package's `npx aftersales validate` prints the same).
#[derive(Serialize)]
struct Report {
    /// No file has an error.
    ok: bool,
    files: Vec<FileReport>,
}

#[derive(Serialize)]
struct FileReport {
    file: String,
    #[serde(flatten)]
    validation: LocatedValidation,
}

/// Exit 0 when no file has an error (nor a warning, with `deny_warnings`), else 1.
pub fn run(paths: &[PathBuf], format: Format, deny_warnings: bool, locale: Locale) -> Result<ExitCode, Fatal> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        files.push(FileReport { file: path.display().to_string(), validation: validate_located(&text, locale) });
    }
    let errors: usize = files.iter().map(|f| f.validation.errors.len()).sum();
    let warnings: usize = files.iter().map(|f| f.validation.warnings.len()).sum();
    let report = Report { ok: errors == 0, files };
    match format {
        Format::Json => println!("{}", serde_json::to_string(&report)?),
        Format::Text => print!("{}", text(&report)),
    }
    let failed = errors > 0 || (deny_warnings && warnings > 0);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The report as a compiler's messages, then one summary line a file.
fn text(report: &Report) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for f in &report.files {
        let v = &f.validation;
        // In the order of the file, as a compiler lists them.
        let mut errors: Vec<_> = v.errors.iter().collect();
        errors.sort_by_key(|e| (e.line, e.column));
        let mut warnings: Vec<_> = v.warnings.iter().collect();
        warnings.sort_by_key(|w| (w.line, w.column));
        for e in errors {
            let _ = writeln!(
                out,
                "{}:{}:{}: error {} at {}: {}",
                f.file,
                e.line,
                e.column,
                e.error.code.as_str(),
                shown_path(&e.error.path),
                e.error.message
            );
        }
        for w in warnings {
            let (code, path, message, law) = (w.warning.code, &w.warning.path, &w.warning.message, w.warning.law);
            let _ = writeln!(
                out,
                "{}:{}:{}: warning {code} at {}: {message} ({law})",
                f.file,
                w.line,
                w.column,
                shown_path(path)
            );
        }
        match &v.policy {
            Some(p) if v.errors.is_empty() => {
                let _ = writeln!(
                    out,
                    "{}: ok, {} warning(s) ({} {} {})",
                    f.file,
                    v.warnings.len(),
                    p.id,
                    p.version,
                    p.fingerprint
                );
            }
            _ => {
                let _ = writeln!(out, "{}: {} error(s), {} warning(s)", f.file, v.errors.len(), v.warnings.len());
            }
        }
    }
    out
}

fn shown_path(path: &str) -> &str {
    if path.is_empty() {
        "(the document)"
    } else {
        path
    }
}
