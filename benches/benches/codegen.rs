//! Parse + generate + format of the 7digital spec: our generator against progenitor's
//! `Generator` (`progenitor_impl::Generator`, re-exported by `progenitor`), on the same
//! document in the same run, both on one thread. Ours emits more (typed builders with required
//! arguments, catch-all enums, a catalogue with examples and schemas, route stubs, a CLI). Also
//! a scale check: the spec with ten times the operations against the spec, on one thread.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SPEC: &str = include_str!("../../spec/7digital-api-openapi.yml");

/// Our generator on `spec`, on one thread or (the default) two.
fn ours_on(spec: &str, parallel: bool) -> usize {
    let settings = sevendigital_codegen::Settings {
        parallel,
        ..sevendigital_codegen::Settings::default()
    };
    let files = sevendigital_codegen::generate(black_box(spec), &settings)
        .expect("our generator accepts the spec");
    files.files.iter().map(|(_, code)| code.len()).sum()
}

/// Our generator on the spec, on one thread, like progenitor's.
fn ours() -> usize {
    ours_on(SPEC, false)
}

/// The spec with every path copied `times` times under other names (operation ids made unique):
/// the same kinds of operations, `times` times as many.
fn scaled(times: usize) -> String {
    let mut doc: serde_yaml::Value = serde_yaml::from_str(SPEC).expect("the spec parses");
    let paths = doc["paths"].as_mapping().expect("paths").clone();
    let mut all = serde_yaml::Mapping::new();
    for copy in 0..times {
        for (path, item) in &paths {
            let mut item = item.clone();
            if let Some(methods) = item.as_mapping_mut() {
                for (_, op) in methods.iter_mut() {
                    if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                        let id = format!("{id}Copy{copy}");
                        op["operationId"] = serde_yaml::Value::String(id);
                    }
                }
            }
            let path = format!("/copy{copy}{}", path.as_str().expect("a path"));
            all.insert(serde_yaml::Value::String(path), item);
        }
    }
    doc["paths"] = serde_yaml::Value::Mapping(all);
    serde_yaml::to_string(&doc).expect("the scaled spec serialises")
}

fn progenitor() -> usize {
    let doc: openapiv3::OpenAPI = serde_yaml::from_str(black_box(SPEC)).expect("the spec parses");
    let mut generator = progenitor_impl::Generator::default();
    let tokens = generator
        .generate_tokens(&doc)
        .expect("progenitor accepts the spec");
    let file: syn::File = syn::parse2(tokens).expect("progenitor emits valid Rust");
    prettyplease::unparse(&file).len()
}

/// Median wall time of `f` over `runs`, interleaved with the other side by the caller.
fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Runs both sides alternately, so that machine noise hits both alike, and prints the ratio.
fn interleaved_ratio(runs: usize) {
    let (mut a, mut b) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let t = Instant::now();
        black_box(ours());
        a.push(t.elapsed());
        let t = Instant::now();
        black_box(progenitor());
        b.push(t.elapsed());
    }
    let (ours, theirs) = (median(a), median(b));
    println!(
        "one thread each, interleaved medians over {runs} runs: sevendigital-codegen {ours:.2?}, progenitor {theirs:.2?}, ratio ours/progenitor {:.2}",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

/// Ten times the operations against once, both on one thread, interleaved.
fn scale_ratio(runs: usize) {
    let (one, ten) = (scaled(1), scaled(10));
    let (mut a, mut b) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for _ in 0..runs {
        let t = Instant::now();
        black_box(ours_on(&one, false));
        a.push(t.elapsed());
        let t = Instant::now();
        black_box(ours_on(&ten, false));
        b.push(t.elapsed());
    }
    let (one, ten) = (median(a), median(b));
    println!(
        "scale, one thread, medians over {runs} runs: 1x operations {one:.2?}, 10x operations {ten:.2?}, ratio {:.2} (target <= 10)",
        ten.as_secs_f64() / one.as_secs_f64()
    );
}

fn codegen(c: &mut Criterion) {
    let (ours_bytes, theirs_bytes) = (ours(), progenitor());
    println!("output size: ours {ours_bytes} bytes, progenitor {theirs_bytes} bytes");
    interleaved_ratio(60);
    scale_ratio(10);
    let mut group = c.benchmark_group("parse+generate+format 7digital spec");
    group.sample_size(30);
    group.bench_function("sevendigital-codegen", |b| b.iter(ours));
    group.bench_function("progenitor (reference)", |b| b.iter(progenitor));
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);
