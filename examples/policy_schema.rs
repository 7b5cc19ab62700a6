//! Writes the policy's JSON Schema to `pkg/policy.schema.json` (or prints it with `-`).
//!
//! ```sh
//! cargo run --example policy_schema --features schema
//! ```

use std::io::Write;

fn main() -> std::io::Result<()> {
    let text = aftersales::schema::schema_text();
    match std::env::args().nth(1).as_deref() {
        Some("-") => std::io::stdout().write_all(text.as_bytes()),
        Some(path) => std::fs::write(path, text),
        None => std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/pkg/policy.schema.json"), text),
    }
}
