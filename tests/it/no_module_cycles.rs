//! No module of the crate or the generator reaches itself through the modules it names.
//!
//! Reading the sources, no module of `src/` or `generator/src/` reaches itself
//! through the modules it names (`crate::x`, `super::x`), apart from a module and the modules it
//! contains.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`client::builder`) → the module paths its code names.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn idents_after<'a>(line: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().last();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let path: Vec<&str> = rest
            .split("::")
            .map(|s| {
                let end = s
                    .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
                    .unwrap_or(s.len());
                &s[..end]
            })
            .take_while(|s| !s.is_empty())
            .take(2)
            .collect();
        if !path.is_empty() {
            out.push(path);
        }
    }
    out
}

fn graph(root: &Path) -> Graph {
    let mut files = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(root).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod") {
            parts.pop();
        }
        if parts.first().is_some_and(|p| p == "lib" || p == "main") {
            continue;
        }
        let name = parts.join("::");
        let parent = parts[..parts.len().saturating_sub(1)].to_vec();
        let text = std::fs::read_to_string(&file).unwrap();
        let deps = graph.entry(name).or_default();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for path in idents_after(line, "crate::") {
                deps.insert(path.join("::"));
            }
            for path in idents_after(line, "super::") {
                let mut full = parent.clone();
                full.push(path[0].to_string());
                deps.insert(full.join("::"));
            }
        }
    }
    // Keep only edges to modules that exist (`crate::client::Client` names `client`), and drop
    // a module's edges to the modules it contains or is contained in.
    let names: BTreeSet<String> = graph.keys().cloned().collect();
    let resolve = |dep: &str| -> Option<String> {
        let mut dep = dep.to_string();
        while !names.contains(&dep) {
            dep = dep.rsplit_once("::")?.0.to_string();
        }
        Some(dep)
    };
    graph
        .iter()
        .map(|(name, deps)| {
            let deps = deps
                .iter()
                .filter_map(|d| resolve(d))
                .filter(|d| {
                    d != name
                        && !d.starts_with(&format!("{name}::"))
                        && !name.starts_with(&format!("{d}::"))
                })
                .collect();
            (name.clone(), deps)
        })
        .collect()
}

/// A cycle through `start`, if any.
fn cycle_from(graph: &Graph, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((node, path)) = stack.pop() {
        for next in graph.get(&node).into_iter().flatten() {
            if next == start {
                let mut cycle = path.clone();
                cycle.push(start.to_string());
                return Some(cycle);
            }
            if seen.insert(next.clone()) {
                let mut longer = path.clone();
                longer.push(next.clone());
                stack.push((next.clone(), longer));
            }
        }
    }
    None
}

fn assert_acyclic(root: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(root);
    let graph = graph(&root);
    assert!(graph.len() > 10, "the sources were read: {graph:?}");
    for name in graph.keys() {
        if let Some(cycle) = cycle_from(&graph, name) {
            panic!("module cycle in {}: {}", root.display(), cycle.join(" -> "));
        }
    }
}

#[test]
fn the_crate_has_no_module_cycles() {
    assert_acyclic("src");
}

#[test]
fn the_generator_has_no_module_cycles() {
    assert_acyclic("generator/src");
}

#[test]
fn a_cycle_would_be_found() {
    let mut graph = Graph::new();
    graph.insert("a".into(), ["b".to_string()].into());
    graph.insert("b".into(), ["c".to_string()].into());
    graph.insert("c".into(), ["a".to_string()].into());
    assert_eq!(
        cycle_from(&graph, "a"),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(
        idents_after("use crate::client::{Answer}; x::crate::y", "crate::"),
        vec![vec!["client"]]
    );
}

/// The words that show code building or parsing a command line.
const COMMAND_LINE: &[&str] = &["clap", "ArgMatches", "get_matches", "argv"];

/// The files under `dir` (relative to the crate) whose code names a [`COMMAND_LINE`] word.
fn command_line_users(dir: &str) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut scanned = 0;
    let mut users = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            scanned += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            if COMMAND_LINE.iter().any(|word| text.contains(word)) {
                users.push(path.display().to_string());
            }
        }
    }
    (scanned, users)
}

#[test]
fn the_gateway_builds_no_command_line() {
    // REST and MCP arguments reach the generated dispatcher through `cli::Args`, never through
    // an argv parsed by clap (whose errors name `--flags`).
    let (scanned, users) = command_line_users("src/gateway");
    assert!(scanned >= 5, "src/gateway has {scanned} files");
    assert!(users.is_empty(), "{users:?} build or parse a command line");
    // The scan does see a command line where there is one.
    let (_, cli) = command_line_users("src/cli");
    assert!(!cli.is_empty());
}
