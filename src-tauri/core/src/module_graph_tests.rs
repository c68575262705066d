//! Data flows one way (issue 18): the `crate::<module>` references between the core's
//! top-level modules form no cycle, and the generic leaf modules depend only on each other.
//!
//! Read from the sources: every `src/**/*.rs` file counts for its top-level module; `use` lines
//! and inline paths count, grouped imports (`crate::{a, b::c}`) included; comment lines (doc
//! links) do not. Test-only code does not either (`tests.rs`, `tests_*.rs`, `*_tests.rs`,
//! files under a `tests/` folder, `testkit.rs`, and a trailing `#[cfg(test)] mod tests { … }`):
//! tests may drive any stage end to end.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Generic modules anyone may depend on; they depend only on each other.
const LEAVES: [&str; 9] = ["error", "progress", "names", "text", "store", "csv_cell", "fonts", "input", "catalog"];

/// The one allowed cycle, between two leaves: `error::io_code` classifies the bounded readers'
/// refusals (`input::InputError`) as `invalid_input`, and `InputError` has an `ErrorCode`.
/// Both are generic plumbing with no stage logic; splitting them would only move the edge.
const ALLOWED: [(&str, &str); 1] = [("error", "input")];

/// Edges `from → to` with one place (file:line) each is referenced from.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn is_test_only(rel: &Path) -> bool {
    let name = rel.file_name().unwrap().to_string_lossy();
    name == "tests.rs" || name.starts_with("tests_") || name.ends_with("_tests.rs") || name == "testkit.rs" || rel.components().any(|c| c.as_os_str() == "tests")
}

/// The names a path after `crate::` starts with: one identifier, or each member of a group.
fn heads(rest: &str) -> Vec<String> {
    if let Some(group) = rest.strip_prefix('{') {
        let (mut depth, mut items, mut cur) = (0, Vec::new(), String::new());
        for c in group.chars() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => items.push(std::mem::take(&mut cur)),
                _ if depth == 0 => cur.push(c),
                _ => {}
            }
        }
        items.push(cur);
        items.iter().map(|i| i.trim().split("::").next().unwrap_or("").trim().to_string()).filter(|i| !i.is_empty()).collect()
    } else {
        vec![rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()]
    }
}

fn graph() -> (BTreeSet<String>, Graph) {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let top_of = |rel: &Path| rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
    let modules: BTreeSet<String> = files.iter().map(|f| top_of(f.strip_prefix(&root).unwrap())).filter(|m| m != "lib").collect();
    let mut g = Graph::new();
    for file in &files {
        let rel = file.strip_prefix(&root).unwrap();
        let from = top_of(rel);
        if from == "lib" || is_test_only(rel) {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests {").next().unwrap();
        // Blank out comment lines, keeping line numbers.
        let code: String = code.lines().map(|l| if l.trim_start().starts_with("//") { "" } else { l }).collect::<Vec<_>>().join("\n");
        for (at, _) in code.match_indices("crate::") {
            let line = code[..at].matches('\n').count() + 1;
            for to in heads(&code[at + "crate::".len()..]) {
                if to != from && modules.contains(&to) {
                    g.entry(from.clone()).or_default().entry(to).or_insert_with(|| format!("{}:{line}", rel.display()));
                }
            }
        }
    }
    (modules, g)
}

fn allowed(a: &str, b: &str) -> bool {
    ALLOWED.iter().any(|&(x, y)| (x, y) == (a, b) || (y, x) == (a, b))
}

/// A cycle as its modules in order (first repeated at the end), if the graph has one.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(v: &str, g: &Graph, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == v) {
            let mut cycle = path[i..].to_vec();
            cycle.push(v.to_string());
            return Some(cycle);
        }
        if done.contains(v) {
            return None;
        }
        path.push(v.to_string());
        for to in g.get(v).into_iter().flat_map(|e| e.keys()) {
            if !allowed(v, to) {
                if let Some(c) = visit(to, g, path, done) {
                    return Some(c);
                }
            }
        }
        path.pop();
        done.insert(v.to_string());
        None
    }
    let mut done = BTreeSet::new();
    g.keys().find_map(|v| visit(v, g, &mut Vec::new(), &mut done))
}

#[test]
fn the_top_level_modules_form_no_cycle() {
    let (modules, g) = graph();
    assert!(modules.len() > 20 && g.get("campaign").is_some_and(|e| e.contains_key("segments")), "the scan sees the core: {modules:?}");
    if let Some(cycle) = find_cycle(&g) {
        let steps: Vec<String> = cycle.windows(2).map(|w| format!("{} → {} ({})", w[0], w[1], g[&w[0]][&w[1]])).collect();
        panic!("module cycle: {}", steps.join(", "));
    }
}

#[test]
fn leaf_modules_depend_only_on_leaves() {
    let (modules, g) = graph();
    for leaf in LEAVES {
        assert!(modules.contains(leaf), "{leaf} is a module of the core");
        for (to, at) in g.get(leaf).into_iter().flatten() {
            assert!(LEAVES.contains(&to.as_str()), "leaf module {leaf} depends on {to} ({at})");
        }
    }
}

#[test]
fn the_scan_finds_grouped_imports_and_cycles() {
    assert_eq!(heads("{a, b::{c, d}, e::f}; x"), ["a", "b", "e"]);
    assert_eq!(heads("review::ReviewState::parse(x)"), ["review"]);
    let edge = |a: &str, b: &str| (a.to_string(), BTreeMap::from([(b.to_string(), "x.rs:1".to_string())]));
    let g: Graph = BTreeMap::from([edge("a", "b"), edge("b", "c"), edge("c", "a")]);
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    let g: Graph = BTreeMap::from([edge("error", "input"), edge("input", "error")]);
    assert_eq!(find_cycle(&g), None, "the stated exception");
}
