//! Prints the definitions the package's TypeScript types are generated from (JSON, on stdout);
//! `scripts/types.mjs` (`make types`) turns them into `pkg/types.generated.d.ts`.
//!
//! ```sh
//! cargo run --example types_schema --features schema
//! ```

use std::io::Write;

fn main() -> Result<(), String> {
    let schema = aftersales::schema::types_schema()?;
    let text = serde_json::to_string_pretty(&schema).map_err(|e| e.to_string())?;
    std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string())
}
