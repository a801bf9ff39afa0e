//! Parse + generate + format of the 7digital spec: our generator against progenitor's
//! `Generator` (`progenitor_impl::Generator`, re-exported by `progenitor`), on the same
//! document in the same run. Ours emits more (typed builders with required arguments,
//! catch-all enums, a catalogue with examples).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

const SPEC: &str = include_str!("../../spec/7digital-api-openapi.yml");

fn ours() -> usize {
    let files =
        sevendigital_codegen::generate(black_box(SPEC), &sevendigital_codegen::Settings::default())
            .expect("our generator accepts the spec");
    files.files.iter().map(|(_, code)| code.len()).sum()
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
        "interleaved medians over {runs} runs: sevendigital-codegen {ours:.2?}, progenitor {theirs:.2?}, ratio ours/progenitor {:.2}",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

fn codegen(c: &mut Criterion) {
    let (ours_bytes, theirs_bytes) = (ours(), progenitor());
    println!("output size: ours {ours_bytes} bytes, progenitor {theirs_bytes} bytes");
    interleaved_ratio(60);
    let mut group = c.benchmark_group("parse+generate+format 7digital spec");
    group.sample_size(30);
    group.bench_function("sevendigital-codegen", |b| b.iter(ours));
    group.bench_function("progenitor (reference)", |b| b.iter(progenitor));
    group.finish();
}

criterion_group!(benches, codegen);
criterion_main!(benches);
