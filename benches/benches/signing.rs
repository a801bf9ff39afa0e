//! Signing throughput: `sevendigital::oauth::Signer` against the
//! `oauth1-request` crate on two typical 7digital requests, with a fixed
//! timestamp and nonce. Both produce an `Authorization` header value.

use std::hint::black_box;
use std::num::NonZeroU64;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use oauth1_request as oauth1;
use sevendigital::oauth::{
    Consumer, FixedClock, FixedNonce, Signer, Token, parse_authorization_header,
};
use url::Url;

const CONSUMER_KEY: &str = "YOUR_7DIGITAL_CONSUMER_KEY";
const CONSUMER_SECRET: &str = "s3cr3t/consumer+secret";
const TOKEN: &str = "a1b2c3d4-access-token";
const TOKEN_SECRET: &str = "t0ken~secret";
const TIMESTAMP: u64 = 1_700_000_000;
const NONCE: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

const SEARCH_URI: &str = "https://api.7digital.com/1.2/release/search";
const SEARCH_PARAMS: [(&str, &str); 6] = [
    ("q", "daft punk discovery"),
    ("country", "GB"),
    ("page", "1"),
    ("pageSize", "20"),
    ("imageSize", "350"),
    ("usageTypes", "download,subscriptionstreaming"),
];
const CARD_URI: &str = "https://api.7digital.com/1.2/user/payment/card/select";
const CARD_ID: &str = "123456789";

fn ours() -> (Signer, Token) {
    let signer = Signer::new(Consumer::new(CONSUMER_KEY, CONSUMER_SECRET))
        .with_clock(Arc::new(FixedClock(TIMESTAMP)))
        .with_nonce(Arc::new(FixedNonce::new(NONCE)));
    (signer, Token::new(TOKEN, TOKEN_SECRET))
}

fn reference<'a>(with_token: bool) -> oauth1::Builder<'a, oauth1::HmacSha1, &'a str, &'a str> {
    let mut builder = oauth1::Builder::new(
        oauth1::Credentials::new(CONSUMER_KEY, CONSUMER_SECRET),
        oauth1::HMAC_SHA1,
    );
    if with_token {
        builder.token(oauth1::Credentials::new(TOKEN, TOKEN_SECRET));
    }
    builder
        .nonce(NONCE)
        .timestamp(NonZeroU64::new(TIMESTAMP))
        .version(true);
    builder
}

fn signature_of(header: &str) -> String {
    parse_authorization_header(header)
        .and_then(|pairs| pairs.into_iter().find(|(n, _)| n == "oauth_signature"))
        .map(|(_, v)| v)
        .expect("header has a signature")
}

fn search_url() -> Url {
    let mut url = Url::parse(SEARCH_URI).unwrap();
    url.query_pairs_mut().extend_pairs(SEARCH_PARAMS);
    url
}

fn bench(c: &mut Criterion) {
    let (signer, token) = ours();
    let search = search_url();
    let card = Url::parse(CARD_URI).unwrap();
    let card_form = vec![("cardId".to_owned(), CARD_ID.to_owned())];
    let search_ref = reference(false);
    let card_ref = reference(true);

    // Same signatures from both implementations, checked once, untimed.
    let ours = signer
        .sign("GET", &search, None, None, &[])
        .authorization_header();
    let reference = search_ref.get(SEARCH_URI, &oauth1::ParameterList::new(SEARCH_PARAMS));
    assert_eq!(signature_of(&ours), signature_of(&reference));
    let ours = signer
        .sign("POST", &card, Some(&card_form), Some(&token), &[])
        .authorization_header();
    let reference = card_ref.post(CARD_URI, &oauth1::ParameterList::new([("cardId", CARD_ID)]));
    assert_eq!(signature_of(&ours), signature_of(&reference));

    // Criterion measures each function in turn; on a shared machine the load
    // can change between them. This interleaved pass (best of 200 alternating
    // batches) gives a load-robust ratio alongside criterion's medians.
    let search_params = || oauth1::ParameterList::new(black_box(SEARCH_PARAMS));
    let card_params = || oauth1::ParameterList::new([("cardId", black_box(CARD_ID))]);
    let [ours_get, ref_get, ours_post, ref_post] = interleaved_best([
        &mut || {
            drop(black_box(
                signer
                    .sign("GET", black_box(&search), None, None, &[])
                    .authorization_header(),
            ))
        },
        &mut || drop(black_box(search_ref.get(SEARCH_URI, &search_params()))),
        &mut || {
            let form = Some(black_box(&card_form[..]));
            let signed = signer.sign("POST", black_box(&card), form, Some(&token), &[]);
            drop(black_box(signed.authorization_header()))
        },
        &mut || drop(black_box(card_ref.post(CARD_URI, &card_params()))),
    ]);
    eprintln!(
        "interleaved best-of-batches: GET ours {ours_get:.0} ns, oauth1-request {ref_get:.0} ns \
         (ratio {:.2}); POST ours {ours_post:.0} ns, oauth1-request {ref_post:.0} ns (ratio {:.2})",
        ours_get / ref_get,
        ours_post / ref_post,
    );

    let mut group = c.benchmark_group("search GET (6 query params)");
    group.bench_function("sevendigital", |b| {
        b.iter(|| {
            black_box(&signer)
                .sign("GET", black_box(&search), None, None, &[])
                .authorization_header()
        })
    });
    group.bench_function("oauth1-request", |b| {
        b.iter(|| {
            let params = oauth1::ParameterList::new(black_box(SEARCH_PARAMS));
            black_box(&search_ref).get(SEARCH_URI, &params)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("card select POST (form body)");
    group.bench_function("sevendigital", |b| {
        b.iter(|| {
            black_box(&signer)
                .sign(
                    "POST",
                    black_box(&card),
                    Some(black_box(&card_form)),
                    Some(&token),
                    &[],
                )
                .authorization_header()
        })
    });
    group.bench_function("oauth1-request", |b| {
        b.iter(|| {
            let params = oauth1::ParameterList::new([("cardId", black_box(CARD_ID))]);
            black_box(&card_ref).post(CARD_URI, &params)
        })
    });
    group.finish();
}

/// Runs the closures in alternating batches; the best time per call of each.
fn interleaved_best<const N: usize>(mut fs: [&mut dyn FnMut(); N]) -> [f64; N] {
    const CALLS: u32 = 1_000;
    let mut best = [f64::MAX; N];
    for _ in 0..200 {
        for (f, best) in fs.iter_mut().zip(best.iter_mut()) {
            let start = Instant::now();
            for _ in 0..CALLS {
                f();
            }
            *best = best.min(start.elapsed().as_nanos() as f64 / f64::from(CALLS));
        }
    }
    best
}

criterion_group!(benches, bench);
criterion_main!(benches);
