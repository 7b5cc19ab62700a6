//! The arrows point one way: each module of `src/` imports only modules of the layers below its
//! own. The layers, bottom first, are the table below (DESIGN.md shows the same order); a module
//! that imports one of its own layer or above, or a module missing from the table, fails here.
//!
//! Imports are read from the code before a file's first `#[cfg(test)]`: every `crate::a::…`
//! path, `use crate::{a, b::c}` groups and `super::` paths.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom first. A module may import the modules of the layers before its own.
const LAYERS: &[(&str, &[&str])] = &[
    ("JSON text", &["json_path"]),
    ("foundation", &["error", "zone", "vocabulary", "reasons"]),
    ("time and problems", &["time", "problems"]),
    ("amounts, conditions and presets", &["money", "conditions", "presets"]),
    ("orders and words", &["order", "messages"]),
    ("built-in and declared facts", &["builtin_facts", "facts"]),
    ("explanations", &["explain"]),
    ("calendars and the law", &["calendar", "statute"]),
    ("environment", &["env"]),
    ("evaluators", &["calendar_query", "returns", "sla", "warranty"]),
    ("evaluators over evaluators", &["refund"]),
    ("evaluators over refunds", &["exchange"]),
    ("policy lint", &["lint"]),
    ("the policy", &["policy"]),
    ("the engine", &["engine"]),
    ("over the engine", &["compare", "locate"]),
    ("descriptions", &["schema"]),
    ("bindings", &["wasm", "lib"]),
];

/// The top-level module a source file belongs to (`messages/returns.rs` → `messages`).
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a file before its tests, without comments and string contents.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// The top-level modules a file's code names through `crate::`.
fn imports(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = ident(item.trim());
                if !name.is_empty() && name != "self" {
                    found.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn modules_import_only_the_layers_below_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = root.join("src");
    let layer_of: BTreeMap<&str, usize> =
        LAYERS.iter().enumerate().flat_map(|(i, (_, mods))| mods.iter().map(move |m| (*m, i))).collect();
    let files = common::files_under(&src, "rs");
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(file, &src);
        let Some(&own) = layer_of.get(module.as_str()) else {
            wrong.push(format!("{}: module `{module}` is in no layer of tests/layers.rs", file.display()));
            continue;
        };
        // `super::` inside a module's own files stays inside it.
        for target in imports(&code(&std::fs::read_to_string(file).unwrap())) {
            if target == module {
                continue;
            }
            match layer_of.get(target.as_str()) {
                Some(&layer) if layer < own => {}
                Some(&layer) => wrong.push(format!(
                    "{}: `{module}` ({}) imports `{target}` ({}), a layer not below its own",
                    file.display(),
                    LAYERS[own].0,
                    LAYERS[layer].0
                )),
                None => wrong.push(format!("{}: imports `{target}`, which is in no layer", file.display())),
            }
        }
    }
    assert!(wrong.is_empty(), "the arrows must point down:\n{}", wrong.join("\n"));
}

#[test]
fn the_reader_finds_imports() {
    let code = code("use crate::{a, b::c};\nfn f() { crate::d::e(); let s = \"crate::x\"; } // crate::y\n");
    assert_eq!(imports(&code), ["a", "b", "d"].iter().map(|s| s.to_string()).collect());
}
