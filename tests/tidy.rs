//! Repository conventions, checked natively: doc lines on every file, and a sim core that stays sans-IO.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() {
                if name != "node_modules" && name != "target" {
                    pending.push(path);
                }
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn crate_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file's first non-blank line, which must be its `//!` summary.
fn first_line(text: &str) -> &str {
    text.lines()
        .find(|line| !line.trim().is_empty())
        .unwrap_or("")
}

#[test]
fn every_rust_file_starts_with_a_doc_line() {
    let root = crate_root();
    let mut offenders = Vec::new();
    for dir in ["src", "tests", "benches"] {
        for file in rust_files(&root.join(dir)) {
            let text = fs::read_to_string(&file).expect("readable source file");
            if !first_line(&text).starts_with("//!") {
                offenders.push(
                    file.strip_prefix(&root)
                        .unwrap_or(&file)
                        .display()
                        .to_string(),
                );
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "files without a leading //! line: {offenders:?}"
    );
}

/// Crates and calls that would tie the core to the browser, the clock or hash order.
const FORBIDDEN_IN_SIM: &[&str] = &[
    "leptos",
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "gloo",
    "plotters",
    "HashMap",
    "HashSet",
    "Instant::now",
    "SystemTime",
    "thread_rng",
    "std::fs",
    "std::net",
    "std::time",
];

/// `src/sim` (the core) and `src/live` (the explainer's logic, tested natively) are plain Rust.
#[test]
fn the_sim_core_and_live_logic_know_nothing_of_the_browser_the_clock_or_io() {
    let root = crate_root();
    let mut offenders = Vec::new();
    let mut sim_files = rust_files(&root.join("src/sim"));
    assert!(!sim_files.is_empty(), "src/sim has no Rust files");
    let live_files = rust_files(&root.join("src/live"));
    assert!(!live_files.is_empty(), "src/live has no Rust files");
    sim_files.extend(live_files);
    for file in sim_files {
        let text = fs::read_to_string(&file).expect("readable source file");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN_IN_SIM {
                if code.contains(word) {
                    offenders.push(format!("{}:{}: {word}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "src/sim and src/live must stay sans-IO and deterministic: {offenders:?}"
    );
}

/// The tidy checks must themselves be able to fail: prove the scanner spots a violation.
#[test]
fn the_forbidden_word_scan_catches_a_real_import() {
    let sample = "use web_sys::Window; // a browser crate";
    let code = sample.split("//").next().unwrap_or("");
    assert!(FORBIDDEN_IN_SIM.iter().any(|word| code.contains(word)));
    assert_eq!(first_line("\n\nfn main() {}"), "fn main() {}");
}

#[test]
fn browser_crates_are_target_specific_dependencies() {
    let manifest = fs::read_to_string(crate_root().join("Cargo.toml")).expect("Cargo.toml");
    let mut section = String::new();
    let mut misplaced = Vec::new();
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            section = trimmed.to_string();
            continue;
        }
        let name = trimmed.split(['=', ' ']).next().unwrap_or("");
        let browser_only = [
            "leptos",
            "web-sys",
            "js-sys",
            "wasm-bindgen",
            "gloo-timers",
            "plotters",
            "plotters-canvas",
            "wasm-bindgen-test",
        ];
        if browser_only.contains(&name) && !section.contains("wasm32") {
            misplaced.push(format!("{name} in {section}"));
        }
    }
    assert!(
        misplaced.is_empty(),
        "browser crates outside cfg(target_arch = \"wasm32\"): {misplaced:?}"
    );
}

/// `trunk serve` aborts if a watch-ignore path is missing, which a fresh clone would hit.
#[test]
fn trunk_watch_ignores_only_paths_that_exist() {
    let root = crate_root();
    let config = fs::read_to_string(root.join("Trunk.toml")).expect("Trunk.toml");
    let line = config
        .lines()
        .find(|l| l.trim_start().starts_with("ignore"))
        .expect("a watch ignore list");
    let list = line.split_once('=').map(|(_, v)| v).unwrap_or("");
    let missing: Vec<&str> = list
        .split(',')
        .map(|item| {
            item.trim()
                .trim_matches(|c| c == '[' || c == ']' || c == '"' || c == ' ')
        })
        .filter(|item| !item.is_empty())
        // node_modules is created by .ci/tools.sh before Trunk ever runs.
        .filter(|item| *item != "node_modules" && !root.join(item).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "Trunk.toml ignores paths a fresh clone lacks: {missing:?}"
    );
}

/// The layers point one way: `sim` ← `i18n` ← `live` ← `ui`. Each entry names a layer and
/// the layers above it that it must not import.
const LAYERS: &[(&str, &[&str])] = &[
    ("src/sim", &["crate::i18n", "crate::live", "crate::ui"]),
    ("src/i18n", &["crate::live", "crate::ui"]),
    ("src/live", &["crate::ui"]),
];

/// The `use` of a layer above `layer` on `line`, if any (comments ignored).
fn upward_import<'a>(line: &str, above: &[&'a str]) -> Option<&'a str> {
    let code = line.split("//").next().unwrap_or("");
    above.iter().copied().find(|layer| code.contains(layer))
}

#[test]
fn the_layers_import_only_downward() {
    let root = crate_root();
    let mut offenders = Vec::new();
    for (layer, above) in LAYERS {
        for file in rust_files(&root.join(layer)) {
            let text = fs::read_to_string(&file).expect("readable source file");
            for (number, line) in text.lines().enumerate() {
                if let Some(found) = upward_import(line, above) {
                    offenders.push(format!("{}:{}: {found}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "imports against the layer direction: {offenders:?}"
    );
    assert_eq!(
        upward_import("use crate::ui::Explainer;", &["crate::ui"]),
        Some("crate::ui")
    );
    assert_eq!(upward_import("// see crate::ui", &["crate::ui"]), None);
}

/// The code map's first column: every path or file name written in backticks.
fn code_map_names(readme: &str) -> Vec<String> {
    let map = readme
        .split("### Code map")
        .nth(1)
        .and_then(|rest| rest.split("\n### ").next())
        .unwrap_or("");
    map.lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|line| line.split(" | ").next())
        .flat_map(|cell| {
            cell.split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the code map names `file` (`src/live/editor.rs`): by its path, or by its file name
/// in a cell that starts with its folder (`src/sim/ledger.rs`, `metrics.rs`).
fn named_in(file: &str, readme: &str) -> bool {
    let map = readme.split("### Code map").nth(1).unwrap_or("");
    let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
    map.lines()
        .filter(|line| line.starts_with("| "))
        .any(|line| {
            let cell = line.split(" | ").next().unwrap_or("");
            cell.contains(&format!("`{file}`"))
                || (cell.contains(&format!("`{folder}/")) && cell.contains(&format!("`{name}`")))
        })
}

#[test]
fn the_readme_code_map_names_every_module() {
    let root = crate_root();
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md");
    assert!(
        !code_map_names(&readme).is_empty(),
        "README.md has a code map"
    );
    let missing: Vec<String> = rust_files(&root.join("src"))
        .iter()
        .map(|f| f.strip_prefix(&root).unwrap_or(f).display().to_string())
        .filter(|f| !f.ends_with("/mod.rs") && !named_in(f, &readme))
        .collect();
    assert!(
        missing.is_empty(),
        "modules the README's code map does not name: {missing:?}"
    );
    assert!(!named_in("src/sim/nowhere.rs", &readme));
}

/// What each part of the core may not import: the engine and its routing own the parts,
/// and a part hears another only through the engine (the groups may read the log).
const PARTS: &[(&str, &[&str])] = &[
    (
        "src/sim/context.rs",
        &["engine", "wiring", "faults", "services", "log", "consumers"],
    ),
    (
        "src/sim/services",
        &["engine", "wiring", "faults", "log", "consumers"],
    ),
    (
        "src/sim/log.rs",
        &["engine", "wiring", "faults", "services", "consumers"],
    ),
    (
        "src/sim/consumers",
        &["engine", "wiring", "faults", "services"],
    ),
    (
        "src/sim/causes",
        &[
            "engine",
            "wiring",
            "faults",
            "services",
            "log",
            "consumers",
            "why",
        ],
    ),
];

/// The modules a `use` line names, as path segments.
fn used_modules(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or("").trim();
    let Some(path) = code.strip_prefix("use ") else {
        return Vec::new();
    };
    path.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn the_parts_of_the_core_do_not_import_each_other() {
    let root = crate_root();
    let mut offenders = Vec::new();
    for (part, forbidden) in PARTS {
        let path = root.join(part);
        let files = if path.is_dir() {
            rust_files(&path)
        } else {
            vec![path]
        };
        for file in files {
            let text = fs::read_to_string(&file).expect("readable source file");
            for (number, line) in text.lines().enumerate() {
                let named = used_modules(line);
                if let Some(found) = forbidden.iter().find(|m| named.contains(m)) {
                    offenders.push(format!("{}:{}: {found}", file.display(), number + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "a part imports another: {offenders:?}"
    );
    assert!(used_modules("use super::log::Log;").contains(&"log"));
    assert!(used_modules("// use super::log::Log;").is_empty());
}

/// Functions in `text` longer than `max_lines`, by name, with their length; a function runs
/// from its `fn` line to the closing brace at the same indent.
fn long_functions(text: &str, max_lines: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let Some(at) = trimmed.find("fn ") else {
            continue;
        };
        let prefix = &trimmed[..at];
        let is_fn = prefix.is_empty()
            || prefix.starts_with("pub")
            || prefix == "const "
            || prefix == "async ";
        if !is_fn || trimmed.ends_with(';') || trimmed.starts_with("//") {
            continue;
        }
        let name: String = trimmed[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = format!("{indent}}}");
        let end = (start + 1..lines.len()).find(|&i| lines[i].trim_end() == close);
        if let Some(end) = end
            && end - start + 1 > max_lines
        {
            long.push((name, end - start + 1));
        }
    }
    long
}

/// Data tables, which the function limit exempts: each is one row per case.
const DATA_TABLES: &[&str] = &["encoding"];

#[test]
fn the_core_keeps_files_within_700_lines_and_functions_within_70() {
    let root = crate_root();
    let mut offenders = Vec::new();
    for file in rust_files(&root.join("src/sim")) {
        let text = fs::read_to_string(&file).expect("readable source file");
        let name = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .display()
            .to_string();
        let lines = text.lines().count();
        if lines > 700 {
            offenders.push(format!("{name}: {lines} lines"));
        }
        for (function, length) in long_functions(&text, 70) {
            if !DATA_TABLES.contains(&function.as_str()) {
                offenders.push(format!("{name}: fn {function} has {length} lines"));
            }
        }
    }
    assert!(offenders.is_empty(), "over the limits: {offenders:?}");
    let three = "fn a() {\n    one();\n    two();\n}\n";
    assert_eq!(long_functions(three, 3), vec![("a".to_string(), 4)]);
    assert!(long_functions(three, 4).is_empty());
}
