//! Live-API fidelity: every answer 7digital is known to have sent (`tests/fixtures/live/`, with
//! provenance in `PROVENANCE.md`) is served byte for byte by a local server and fetched through
//! the real client, `client.<operation>(..).send()` (driven by the generated command-line
//! dispatcher, which makes exactly that call). Every non-empty scalar of the captured payload must
//! survive into the typed answer: the test counts the values present in the capture and the
//! values kept in the typed answer, matched by property name and value (numbers and booleans
//! compared by value, so `"5"` and `5` match; the text of an XML element that also has
//! attributes, `<currency code="GBP">£</currency>`, is named `value`, as the client reads it).
//!
//! Error answers must give their 7digital code through `error.code()`, with their own status and
//! again when the same body comes with HTTP 200.

use crate::common;

use std::collections::HashMap;

use common::Server;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/live");

/// One row of `PROVENANCE.md`.
#[derive(Debug, Clone)]
struct Fixture {
    file: String,
    operation: String,
    args: Vec<(String, String)>,
    status: u16,
    dialect: String,
}

fn fixtures() -> Vec<Fixture> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/PROVENANCE.md")).unwrap();
    let mut rows = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() < 8 || cells[0] == "file" || cells[0].starts_with("---") {
            continue;
        }
        let args = match cells[2] {
            "-" | "" => Vec::new(),
            args => args
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
                .collect(),
        };
        rows.push(Fixture {
            file: cells[0].trim_matches('`').to_string(),
            operation: cells[1].trim_matches('`').to_string(),
            args,
            status: cells[3].parse().unwrap_or(200),
            dialect: cells[7].to_string(),
        });
    }
    assert!(
        rows.len() >= 40,
        "PROVENANCE.md lists only {} fixtures",
        rows.len()
    );
    rows
}

fn content_type(file: &str) -> &'static str {
    if file.ends_with(".xml") {
        "application/xml; charset=utf-8"
    } else if file.ends_with(".json") {
        "application/json; charset=utf-8"
    } else {
        "text/plain; charset=utf-8"
    }
}

/// Calls `operation` with `args` through the generated dispatcher against `server`.
async fn call(
    server: &Server,
    operation: &str,
    args: &[(String, String)],
) -> Result<Value, sevendigital::Error> {
    let (name, _) = sevendigital::cli::SUBCOMMANDS
        .iter()
        .find(|(_, id)| *id == operation)
        .unwrap_or_else(|| panic!("no operation {operation}"));
    let command = sevendigital::cli::commands()
        .into_iter()
        .find(|c| c.get_name() == *name)
        .unwrap();
    let mut argv = vec![name.to_string()];
    // A parameter the document requires that the captured request did not carry (the stub
    // answered whatever it was sent) takes the document's example value.
    let op = sevendigital::catalogue::find(operation).unwrap();
    let mut args = args.to_vec();
    for p in op.params.iter().filter(|p| p.required) {
        if !args.iter().any(|(k, _)| k.eq_ignore_ascii_case(p.name)) {
            let example = p
                .example
                .unwrap_or_else(|| panic!("{operation}: {} has no example", p.name));
            args.push((p.name.to_string(), example.to_string()));
        }
    }
    for (key, value) in &args {
        let arg = command
            .get_arguments()
            .find(|a| a.get_id().as_str().eq_ignore_ascii_case(key))
            .unwrap_or_else(|| panic!("{operation} has no parameter {key}"));
        argv.push(format!("--{}", arg.get_long().unwrap()));
        argv.push(value.clone());
    }
    let matches = command
        .clone()
        .try_get_matches_from(&argv)
        .unwrap_or_else(|e| panic!("{operation} {argv:?}: {e}"));
    let client = common::client(server).with_user_token("token", "token-secret");
    match sevendigital::cli::run(&client, name, &matches, false)
        .await
        .unwrap()?
    {
        sevendigital::cli::Outcome::Json(value) => Ok(value),
        other => panic!("{operation}: expected a JSON answer, got {other:?}"),
    }
}

/// Properties that only carry XML namespace plumbing.
fn is_plumbing(key: &str) -> bool {
    key.starts_with("xmlns") || key.starts_with("xsi:")
}

/// A scalar compared by value: numbers as numbers, everything else as trimmed text without
/// regard to ASCII case (enums decode case-insensitively into their canonical spelling, so
/// `single` comes back as `Single`).
fn norm(text: &str) -> String {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(n) if n.is_finite() && !t.is_empty() => format!("{n}"),
        _ => t.to_ascii_lowercase(),
    }
}

/// Every non-empty scalar of a JSON value, as (property name, normalised value).
fn json_leaves(value: &Value, key: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if !is_plumbing(k) {
                    json_leaves(v, k, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| json_leaves(v, key, out)),
        Value::String(s) if s.trim().is_empty() => {}
        Value::String(s) => out.push((key.to_string(), norm(s))),
        Value::Number(n) => out.push((key.to_string(), norm(&n.to_string()))),
        Value::Bool(b) => out.push((key.to_string(), b.to_string())),
        Value::Null => {}
    }
}

/// Every attribute value and non-empty text of an XML document, as (name, normalised value),
/// read independently of the client's own XML handling.
fn xml_leaves(body: &[u8]) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    // (element name, whether it has data attributes): text beside attributes is `value`.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut text = String::new();
    let attrs = |e: &quick_xml::events::BytesStart<'_>, out: &mut Vec<(String, String)>| {
        for a in e.attributes().flatten() {
            let k = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let v = a.unescape_value().unwrap().into_owned();
            if !is_plumbing(&k) && !v.trim().is_empty() {
                out.push((k, norm(&v)));
            }
        }
    };
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Start(e) => {
                let before = out.len();
                attrs(&e, &mut out);
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                open.push((name, out.len() > before));
                text.clear();
            }
            Event::Empty(e) => attrs(&e, &mut out),
            Event::Text(t) => text.push_str(&t.decode().unwrap()),
            Event::GeneralRef(r) => match r.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => text.push_str(
                    quick_xml::escape::resolve_xml_entity(&r.decode().unwrap()).unwrap_or("?"),
                ),
            },
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::End(_) => {
                let (name, has_attributes) = open.pop().unwrap_or_default();
                if !text.trim().is_empty() {
                    let key = if has_attributes {
                        "value".to_string()
                    } else {
                        name
                    };
                    out.push((key, norm(&text)));
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// How many of `present` are found in `typed` (each typed value matched at most once), and
/// the ones missing.
fn kept(present: &[(String, String)], typed: &Value) -> (usize, Vec<(String, String)>) {
    let mut have = Vec::new();
    json_leaves(typed, "", &mut have);
    let mut pool: HashMap<(String, String), usize> = HashMap::new();
    for leaf in have {
        *pool.entry(leaf).or_default() += 1;
    }
    let mut missing = Vec::new();
    let mut count = 0;
    for leaf in present {
        match pool.get_mut(leaf) {
            Some(n) if *n > 0 => {
                *n -= 1;
                count += 1;
            }
            _ => missing.push(leaf.clone()),
        }
    }
    (count, missing)
}

#[tokio::test]
async fn every_captured_answer_decodes_keeping_every_value() {
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let (mut total_present, mut total_kept) = (0, 0);
    let mut operations = std::collections::BTreeSet::new();
    for fixture in fixtures() {
        if fixture.status != 200 || fixture.operation == "-" {
            continue;
        }
        let mut body = std::fs::read(format!("{FIXTURES}/{}", fixture.file)).unwrap();
        if fixture.file.ends_with(".json") {
            // Documentation copies indent with U+00A0 (see PROVENANCE.md): layout the page
            // added, not part of the answer, and not valid JSON white space.
            body = String::from_utf8(body)
                .unwrap()
                .replace('\u{a0}', " ")
                .into_bytes();
        }
        let present = if fixture.file.ends_with(".xml") {
            xml_leaves(&body)
        } else {
            let value: Value = serde_json::from_slice(&body).unwrap();
            let mut out = Vec::new();
            json_leaves(&value, "", &mut out);
            out
        };
        let answer = body.clone();
        let ct = content_type(&fixture.file);
        let server =
            Server::start(move |_| (200, vec![("content-type", ct.to_string())], answer.clone()))
                .await;
        match call(&server, &fixture.operation, &fixture.args).await {
            Ok(typed) => {
                let (count, missing) = kept(&present, &typed);
                total_present += present.len();
                total_kept += count;
                operations.insert(fixture.operation.clone());
                report.push(format!(
                    "{:<34} {:<28} {:<12} {count}/{}",
                    fixture.file,
                    fixture.operation,
                    fixture.dialect,
                    present.len()
                ));
                if !missing.is_empty() {
                    failures.push(format!(
                        "{} ({}): {} of {} values lost, e.g. {:?}",
                        fixture.file,
                        fixture.operation,
                        missing.len(),
                        present.len(),
                        &missing[..missing.len().min(8)]
                    ));
                }
            }
            Err(e) => failures.push(format!("{} ({}): {e:#}", fixture.file, fixture.operation)),
        }
    }
    println!("{}", report.join("\n"));
    println!(
        "values kept: {total_kept} of {total_present} present, across {} operations",
        operations.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(
        total_present > 1000,
        "too few values checked: {total_present}"
    );
}

#[tokio::test]
async fn error_answers_give_their_code_at_any_status() {
    let mut checked = 0;
    for fixture in fixtures() {
        if fixture.status == 200 {
            continue;
        }
        let body = std::fs::read(format!("{FIXTURES}/{}", fixture.file)).unwrap();
        let expected = sevendigital::Envelope::parse(&body)
            .map(|e| e.code)
            .unwrap_or_else(|| panic!("{}: not an error envelope", fixture.file));
        let operation = if fixture.operation == "-" {
            "getReleaseDetails".to_string()
        } else {
            fixture.operation.clone()
        };
        let args = if fixture.operation == "-" {
            vec![("releaseId".to_string(), "1".to_string())]
        } else {
            fixture.args.clone()
        };
        for status in [fixture.status, 200] {
            let answer = body.clone();
            let ct = content_type(&fixture.file);
            let server = Server::start(move |_| {
                (
                    status,
                    vec![("content-type", ct.to_string())],
                    answer.clone(),
                )
            })
            .await;
            let err = call(&server, &operation, &args).await.unwrap_err();
            assert_eq!(
                err.code(),
                Some(expected),
                "{} at {status}: {err}",
                fixture.file
            );
            assert_eq!(err.status(), Some(status), "{}: {err}", fixture.file);
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} error answers checked");
}
