//! Streaming, resumable downloads against a local file server (127.0.0.1) that serves
//! deterministic bytes with `ETag`, `Last-Modified`, `Content-Disposition` and ranges, and can
//! cut, stall, lie about ranges or refuse.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::StreamExt;
use sevendigital::download::{
    self, DownloadOptions, Downloaded, Progress, StopHandle, parse_content_disposition,
    sanitize_file_name,
};
use sevendigital::{Error, RetryPolicy};
use sha2::{Digest, Sha256};

use crate::common;

// ---------------------------------------------------------------------------------------------
// Deterministic content

/// Byte `position` of the file made from `seed`: random access, so any range can be served.
fn byte_at(seed: u64, position: u64) -> u8 {
    let word = splitmix64(seed ^ (position / 8).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (word >> (8 * (position % 8))) as u8
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn content_range(seed: u64, start: u64, end: u64) -> Vec<u8> {
    (start..end).map(|p| byte_at(seed, p)).collect()
}

fn content(seed: u64, size: u64) -> Vec<u8> {
    content_range(seed, 0, size)
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn sha256_file(path: &Path) -> Vec<u8> {
    sha256(&std::fs::read(path).expect("read the downloaded file"))
}

/// A seeded xorshift generator for the random cut points.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

// ---------------------------------------------------------------------------------------------
// The file server

/// How the server treats `Range` requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ranges {
    /// `206` from the requested byte when `If-Range` matches, else `200`.
    Honour,
    /// Always `200` with the whole file.
    Ignore,
    /// `206` from the requested byte whatever `If-Range` says (a broken server).
    IgnoreIfRange,
    /// `206` starting one byte after the requested one.
    WrongStart,
    /// `206` whose body (chunked) goes 100 bytes past its `Content-Range`.
    Oversize,
    /// `206` with at most this many bytes from the requested one.
    ShortSpan(u64),
    /// `206` whose body (chunked, cleanly ended) stops 100 bytes before its `Content-Range` does.
    Undersize,
}

#[derive(Debug, Clone)]
struct Config {
    seed: u64,
    size: u64,
    etag: Option<String>,
    last_modified: Option<String>,
    disposition: Option<String>,
    ranges: Ranges,
}

impl Config {
    fn new(seed: u64, size: u64) -> Config {
        Config {
            seed,
            size,
            etag: Some(format!("\"v{seed}\"")),
            last_modified: None,
            disposition: Some(format!("attachment; filename=\"track-{seed}.flac\"")),
            ranges: Ranges::Honour,
        }
    }
}

/// What happens to one request (taken in order; then `None`).
#[derive(Debug, Clone)]
enum Fault {
    /// Close the connection after this many bytes of body.
    CutAfter(u64),
    /// Send this many bytes of body, then nothing.
    Stall(u64),
    /// Answer with this status and JSON body.
    Status(u16, &'static str),
}

/// What a request carried.
#[derive(Debug, Clone, Default)]
struct Seen {
    range: Option<String>,
    if_range: Option<String>,
}

struct ServerState {
    config: Config,
    faults: VecDeque<Fault>,
    log: Vec<Seen>,
}

type Shared = Arc<Mutex<ServerState>>;

struct FileServer {
    url: String,
    state: Shared,
    task: tokio::task::JoinHandle<()>,
}

impl FileServer {
    async fn start(config: Config) -> FileServer {
        let state = Arc::new(Mutex::new(ServerState {
            config,
            faults: VecDeque::new(),
            log: Vec::new(),
        }));
        let app = axum::Router::new()
            .fallback(serve)
            .with_state(Arc::clone(&state));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        FileServer {
            url: format!("http://{addr}/media/file"),
            state,
            task,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ServerState> {
        self.state.lock().expect("server state")
    }

    fn fault(&self, fault: Fault) {
        self.lock().faults.push_back(fault);
    }

    fn configure(&self, change: impl FnOnce(&mut Config)) {
        change(&mut self.lock().config);
    }

    fn requests(&self) -> Vec<Seen> {
        self.lock().log.clone()
    }

    fn forget_requests(&self) {
        self.lock().log.clear();
    }

    /// A URL function that counts its calls.
    fn url_fn(&self, calls: &Arc<AtomicUsize>) -> impl Fn() -> Result<String, Error> + use<> {
        let url = self.url.clone();
        let calls = Arc::clone(calls);
        move || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            Ok(format!("{url}?oauth_nonce={n}"))
        }
    }

    fn url(&self) -> impl Fn() -> Result<String, Error> + use<> {
        self.url_fn(&Arc::new(AtomicUsize::new(0)))
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const CHUNK: u64 = 16 * 1024;

async fn serve(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (config, fault) = {
        let mut state = state.lock().expect("server state");
        state.log.push(Seen {
            range: text("range"),
            if_range: text("if-range"),
        });
        (state.config.clone(), state.faults.pop_front())
    };
    if let Some(Fault::Status(status, body)) = fault {
        return Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(Body::from(body))
            .expect("response");
    }
    let size = config.size;
    let requested = text("range").and_then(|r| {
        r.strip_prefix("bytes=")?
            .strip_suffix('-')?
            .parse::<u64>()
            .ok()
    });
    let validator_matches = match text("if-range") {
        None => true,
        Some(v) => Some(&v) == config.etag.as_ref() || Some(&v) == config.last_modified.as_ref(),
    };
    let partial_from = match (requested, config.ranges) {
        (None, _) | (_, Ranges::Ignore) => None,
        (Some(from), Ranges::IgnoreIfRange) => Some(from),
        (Some(from), _) if validator_matches => Some(from),
        _ => None,
    };
    let mut builder = Response::builder().header("content-type", "audio/flac");
    for (name, value) in [
        ("etag", &config.etag),
        ("last-modified", &config.last_modified),
        ("content-disposition", &config.disposition),
    ] {
        if let Some(value) = value {
            builder = builder.header(name, value.as_str());
        }
    }
    if let Some(from) = partial_from
        && from >= size
    {
        return builder
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .header("content-range", format!("bytes */{size}"))
            .body(Body::empty())
            .expect("response");
    }
    // The bytes sent: [start, end), plus `extra` bytes of junk; what the headers claim.
    let (status, start, end, extra, claimed) = match (partial_from, config.ranges) {
        (None, _) => (StatusCode::OK, 0, size, 0, None),
        (Some(from), Ranges::WrongStart) => (
            StatusCode::PARTIAL_CONTENT,
            from + 1,
            size,
            0,
            Some((from + 1, size - 1)),
        ),
        (Some(from), Ranges::Oversize) => (
            StatusCode::PARTIAL_CONTENT,
            from,
            size,
            100,
            Some((from, size - 1)),
        ),
        (Some(from), Ranges::Undersize) => (
            StatusCode::PARTIAL_CONTENT,
            from,
            size - 100,
            0,
            Some((from, size - 1)),
        ),
        (Some(from), Ranges::ShortSpan(span)) => {
            let end = (from + span).min(size);
            (
                StatusCode::PARTIAL_CONTENT,
                from,
                end,
                0,
                Some((from, end - 1)),
            )
        }
        (Some(from), _) => (
            StatusCode::PARTIAL_CONTENT,
            from,
            size,
            0,
            Some((from, size - 1)),
        ),
    };
    builder = builder.status(status);
    if let Some((first, last)) = claimed {
        builder = builder.header("content-range", format!("bytes {first}-{last}/{size}"));
    }
    if extra == 0 && config.ranges != Ranges::Undersize {
        // With an explicit length hyper frames the body by it: a cut is an incomplete body.
        builder = builder.header("content-length", (end - start).to_string());
    }
    let (limit, stall) = match fault {
        Some(Fault::CutAfter(n)) => (Some(n), false),
        Some(Fault::Stall(n)) => (Some(n), true),
        _ => (None, false),
    };
    let seed = config.seed;
    let body_end = limit.map_or(end + extra, |n| (start + n).min(end + extra));
    let chunks =
        futures_util::stream::iter((start..body_end).step_by(CHUNK as usize)).map(move |at| {
            let to = (at + CHUNK).min(body_end);
            let mut bytes = content_range(seed, at, to.min(end));
            bytes.resize((to - at) as usize, 0xEE);
            Ok::<_, std::io::Error>(Bytes::from(bytes))
        });
    let body = match (limit, stall) {
        (Some(_), true) => Body::from_stream(chunks.chain(futures_util::stream::pending())),
        (Some(_), false) => Body::from_stream(chunks.chain(futures_util::stream::once(async {
            // Pending once first, so that hyper sends what it has before dropping the connection.
            tokio::task::yield_now().await;
            Err(std::io::Error::other("connection cut by the test server"))
        }))),
        (None, _) => Body::from_stream(chunks),
    };
    builder.body(body).expect("response")
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// A fresh directory under the target's test scratch space, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::SeqCst);
        let path = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("downloads")
            .join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create the test directory");
        TempDir(path)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn part_of(target: &Path) -> PathBuf {
    let mut name = target.file_name().expect("file name").to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

fn meta_of(target: &Path) -> PathBuf {
    let mut name = target.file_name().expect("file name").to_os_string();
    name.push(".part.meta");
    target.with_file_name(name)
}

fn file_len(path: &Path) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

fn no_retries() -> RetryPolicy {
    RetryPolicy::new(0, Duration::ZERO, Duration::ZERO)
}

fn retries(n: u32) -> RetryPolicy {
    RetryPolicy::new(n, Duration::ZERO, Duration::ZERO)
}

/// `(message, retryable)` of an `Error::Download`; panics on any other error.
fn download_failure(err: &Error) -> (String, bool) {
    match err {
        Error::Download { retryable, .. } => (err.to_string(), *retryable),
        other => panic!("expected Error::Download, got {other:?}"),
    }
}

async fn get(
    server: &FileServer,
    target: &Path,
    options: &DownloadOptions,
) -> Result<Downloaded, Error> {
    download::download_to_path(&reqwest::Client::new(), server.url(), target, options).await
}

// ---------------------------------------------------------------------------------------------
// Whole downloads

#[tokio::test]
async fn whole_download_is_byte_identical_and_leaves_no_part() {
    let size = 1_000_003;
    let mut config = Config::new(1, size);
    config.disposition = Some("attachment; filename=\"../../evil/track.flac\"".into());
    let server = FileServer::start(config).await;
    let dir = TempDir::new("whole");
    let target = dir.join("out.flac");
    let reports = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = Arc::clone(&reports);
    let options = DownloadOptions::new()
        .buffer_size(8 * 1024)
        .on_progress(move |p| sink.lock().expect("reports").push(p));

    let done = get(&server, &target, &options).await.expect("download");

    assert_eq!(sha256_file(&target), sha256(&content(1, size)));
    assert_eq!(done.path.as_deref(), Some(target.as_path()));
    assert_eq!((done.bytes, done.resumed_from), (size, 0));
    assert_eq!(done.suggested_name.as_deref(), Some("track.flac"));
    assert_eq!(done.content_type.as_deref(), Some("audio/flac"));
    assert!(!part_of(&target).exists(), "no .part left");
    assert!(!meta_of(&target).exists(), "no .part.meta left");
    let reports = reports.lock().expect("reports").clone();
    assert!(reports.len() > 2, "a report per chunk: {}", reports.len());
    assert!(
        reports.windows(2).all(|w| w[0].done <= w[1].done),
        "monotonic"
    );
    assert!(reports.iter().all(|p| p.total == Some(size)));
    assert_eq!(reports.last().map(|p| p.done), Some(size));
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].range, None, "nothing to resume: no Range");
}

#[tokio::test]
async fn existing_target_is_replaced_whole() {
    let server = FileServer::start(Config::new(3, 5000)).await;
    let dir = TempDir::new("replace");
    let target = dir.join("out.bin");
    std::fs::write(&target, b"old contents").expect("write");
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(std::fs::read(&target).expect("read"), content(3, 5000));
}

#[tokio::test]
async fn to_a_writer_gives_the_same_bytes() {
    let size = 300_001;
    let server = FileServer::start(Config::new(4, size)).await;
    let mut out: Vec<u8> = Vec::new();
    let done = download::download_to_writer(
        &reqwest::Client::new(),
        server.url(),
        &mut out,
        &DownloadOptions::new(),
    )
    .await
    .expect("download");
    assert_eq!(sha256(&out), sha256(&content(4, size)));
    assert_eq!(done.path, None);
    assert_eq!((done.bytes, done.resumed_from), (size, 0));
    assert_eq!(done.suggested_name.as_deref(), Some("track-4.flac"));
}

#[tokio::test]
async fn cut_body_to_a_writer_is_an_error_with_the_numbers() {
    let server = FileServer::start(Config::new(4, 4096)).await;
    server.fault(Fault::CutAfter(1000));
    let mut out: Vec<u8> = Vec::new();
    let err = download::download_to_writer(
        &reqwest::Client::new(),
        server.url(),
        &mut out,
        &DownloadOptions::new(),
    )
    .await
    .expect_err("cut");
    let (message, retryable) = download_failure(&err);
    assert!(message.contains("received 1000 of 4096 bytes"), "{message}");
    assert!(retryable);
    assert_eq!(out, content(4, 1000), "the writer has what was received");
}

/// Streams 64 MiB; no memory or time assertion here (benchmarks measure those), only that the
/// streaming path delivers every byte.
#[tokio::test]
async fn large_download_streams_to_disk() {
    let size: u64 = 64 * 1024 * 1024;
    let server = FileServer::start(Config::new(6, size)).await;
    let dir = TempDir::new("large");
    let target = dir.join("large.bin");
    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.bytes, size);
    // Compare block by block against the generator rather than holding both in memory.
    use std::io::Read;
    let mut file = std::fs::File::open(&target).expect("open");
    let mut block = vec![0u8; 1 << 20];
    let mut at = 0u64;
    loop {
        let n = file.read(&mut block).expect("read");
        if n == 0 {
            break;
        }
        let expected = content_range(6, at, at + n as u64);
        assert!(block[..n] == expected[..], "bytes from {at} differ");
        at += n as u64;
    }
    assert_eq!(at, size);
}

// ---------------------------------------------------------------------------------------------
// Resuming

#[tokio::test]
async fn cut_at_random_points_then_resumed_gives_identical_files() {
    let size: u64 = 64 * 1024;
    let server = FileServer::start(Config::new(7, size)).await;
    let expected = sha256(&content(7, size));
    let http = reqwest::Client::new();
    let mut random = XorShift(0x5EED_CAFE_F00D_1234);
    let dir = TempDir::new("random-cuts");
    for i in 0..100 {
        let cut = 1 + random.next() % (size - 1);
        let target = dir.join(&format!("cut-{i}.bin"));
        server.forget_requests();
        server.fault(Fault::CutAfter(cut));
        let calls = Arc::new(AtomicUsize::new(0));

        let err = download::download_to_path(
            &http,
            server.url_fn(&calls),
            &target,
            &DownloadOptions::new(),
        )
        .await
        .expect_err("cut");
        let (message, retryable) = download_failure(&err);
        assert!(retryable, "{message}");
        assert!(
            message.contains(&format!("received {cut} of {size} bytes")),
            "{message}"
        );
        assert!(!target.exists(), "no half-written target (cut {cut})");
        assert_eq!(
            file_len(&part_of(&target)),
            Some(cut),
            ".part keeps what came"
        );

        let done = download::download_to_path(
            &http,
            server.url_fn(&calls),
            &target,
            &DownloadOptions::new(),
        )
        .await
        .expect("resumed");
        assert_eq!(done.resumed_from, cut);
        assert_eq!(done.bytes, size);
        assert_eq!(sha256_file(&target), expected, "cut {cut}");
        assert!(!part_of(&target).exists() && !meta_of(&target).exists());
        assert_eq!(calls.load(Ordering::SeqCst), 2, "one URL per request");
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].range, None);
        assert_eq!(
            requests[1].range.as_deref(),
            Some(format!("bytes={cut}-").as_str())
        );
        assert_eq!(requests[1].if_range.as_deref(), Some("\"v7\""));
    }
}

#[tokio::test]
async fn progress_counts_resumed_bytes() {
    let size = 50_000;
    let server = FileServer::start(Config::new(8, size)).await;
    let dir = TempDir::new("progress-resume");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(20_000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    let reports = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = Arc::clone(&reports);
    let options =
        DownloadOptions::new().on_progress(move |p| sink.lock().expect("reports").push(p));
    get(&server, &target, &options).await.expect("resumed");
    let reports = reports.lock().expect("reports").clone();
    assert_eq!(
        reports.first().map(|p| p.done),
        Some(20_000),
        "starts at the resumed bytes"
    );
    assert_eq!(
        reports.last().map(|p| (p.done, p.total)),
        Some((size, Some(size)))
    );
}

#[tokio::test]
async fn download_with_resume_retries_cuts_stalls_and_5xx() {
    let size = 100_000;
    let server = FileServer::start(Config::new(9, size)).await;
    let dir = TempDir::new("with-resume");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(10_000));
    server.fault(Fault::Stall(30_000));
    server.fault(Fault::Status(
        503,
        r#"{"status":"error","error":{"code":9001,"message":"busy"}}"#,
    ));
    let calls = Arc::new(AtomicUsize::new(0));
    let options = DownloadOptions::new().idle_timeout(Some(Duration::from_millis(300)));

    let done = download::download_with_resume(
        &reqwest::Client::new(),
        server.url_fn(&calls),
        &target,
        &options,
        retries(5),
    )
    .await
    .expect("download");

    assert_eq!(sha256_file(&target), sha256(&content(9, size)));
    assert_eq!(done.resumed_from, 40_000);
    let ranges: Vec<_> = server.requests().into_iter().map(|s| s.range).collect();
    assert_eq!(
        ranges,
        [
            None,
            Some("bytes=10000-".into()),
            Some("bytes=40000-".into()),
            Some("bytes=40000-".into())
        ]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 4, "a fresh URL per attempt");
}

#[tokio::test]
async fn download_with_resume_gives_up_after_its_retries() {
    let server = FileServer::start(Config::new(10, 10_000)).await;
    let dir = TempDir::new("give-up");
    let target = dir.join("out.bin");
    for _ in 0..3 {
        server.fault(Fault::CutAfter(100));
    }
    let err = download::download_with_resume(
        &reqwest::Client::new(),
        server.url(),
        &target,
        &DownloadOptions::new(),
        retries(2),
    )
    .await
    .expect_err("three cuts, two retries");
    let (message, _) = download_failure(&err);
    assert!(message.contains("received 300 of 10000 bytes"), "{message}");
    assert_eq!(server.requests().len(), 3);
    assert!(!target.exists());

    // Not retried: a 404.
    server.forget_requests();
    server.fault(Fault::Status(
        404,
        r#"{"status":"error","error":{"code":2001,"message":"gone"}}"#,
    ));
    let err = download::download_with_resume(
        &reqwest::Client::new(),
        server.url(),
        &target,
        &DownloadOptions::new(),
        retries(5),
    )
    .await
    .expect_err("404");
    assert_eq!(err.code(), Some(2001));
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        file_len(&part_of(&target)),
        Some(300),
        "a refusal leaves the .part alone"
    );
}

#[tokio::test]
async fn stalled_body_times_out_and_resumes() {
    let server = FileServer::start(Config::new(11, 20_000)).await;
    let dir = TempDir::new("stall");
    let target = dir.join("out.bin");
    server.fault(Fault::Stall(5_000));
    let options = DownloadOptions::new().idle_timeout(Some(Duration::from_millis(300)));
    let err = get(&server, &target, &options).await.expect_err("stalled");
    let (message, retryable) = download_failure(&err);
    assert!(retryable);
    assert!(
        message.contains("received 5000 of 20000 bytes, then nothing for 300ms"),
        "{message}"
    );
    let done = get(&server, &target, &options).await.expect("resumed");
    assert_eq!(done.resumed_from, 5_000);
    assert_eq!(std::fs::read(&target).expect("read"), content(11, 20_000));
}

#[tokio::test]
async fn a_stopped_download_keeps_every_byte_received_and_sends_nothing_more() {
    let server = FileServer::start(Config::new(15, 20_000)).await;
    let dir = TempDir::new("stop");
    let target = dir.join("out.bin");
    server.fault(Fault::Stall(5_000));
    let stop = StopHandle::new();
    let stopper = stop.clone();
    // Stop once the 5000 bytes before the stall are in (the write buffer is larger than that).
    let options = DownloadOptions::new().stop_on(&stop).on_progress(move |p| {
        if p.done == 5_000 {
            stopper.stop();
        }
    });
    let err = get(&server, &target, &options).await.expect_err("stopped");
    let (message, retryable) = download_failure(&err);
    assert!(!retryable, "{message}");
    assert!(
        message.contains("stopped by the caller after receiving 5000 of 20000 bytes"),
        "{message}"
    );
    assert_eq!(file_len(&part_of(&target)), Some(5_000));
    // A stopped handle stops the next download before it sends anything.
    server.forget_requests();
    let err = get(&server, &target, &options).await.expect_err("stopped");
    assert!(download_failure(&err).0.contains("stopped"), "{err}");
    let mut sink = Vec::new();
    let err =
        download::download_to_writer(&reqwest::Client::new(), server.url(), &mut sink, &options)
            .await
            .expect_err("stopped");
    assert!(download_failure(&err).0.contains("stopped"), "{err}");
    assert!(server.requests().is_empty());
    assert!(stop.is_stopped());
    // Without it, the next download resumes from the kept bytes.
    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("resumed");
    assert_eq!(done.resumed_from, 5_000);
    assert_eq!(std::fs::read(&target).expect("read"), content(15, 20_000));
}

#[tokio::test]
async fn changed_validator_starts_over_with_the_new_content() {
    let server = FileServer::start(Config::new(12, 40_000)).await;
    let dir = TempDir::new("changed");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(20_000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    // The file changes on the server: new bytes, new size, new ETag.
    server.configure(|c| *c = Config::new(13, 30_000));

    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");

    assert_eq!(done.resumed_from, 0);
    assert_eq!(done.bytes, 30_000);
    assert_eq!(sha256_file(&target), sha256(&content(13, 30_000)));
    let last = server.requests().pop().expect("a request");
    assert_eq!(last.range.as_deref(), Some("bytes=20000-"));
    assert_eq!(last.if_range.as_deref(), Some("\"v12\""));
    assert!(!meta_of(&target).exists());
}

#[tokio::test]
async fn server_ignoring_ranges_starts_over() {
    let mut config = Config::new(14, 40_000);
    config.ranges = Ranges::Ignore;
    let server = FileServer::start(config).await;
    let dir = TempDir::new("ignore-range");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(25_000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.resumed_from, 0);
    assert_eq!(sha256_file(&target), sha256(&content(14, 40_000)));
    assert_eq!(
        server.requests()[1].range.as_deref(),
        Some("bytes=25000-"),
        "a range was asked for"
    );
}

#[tokio::test]
async fn range_of_another_version_is_discarded() {
    // A broken server that answers 206 even though If-Range no longer matches.
    let mut config = Config::new(15, 40_000);
    config.ranges = Ranges::IgnoreIfRange;
    let server = FileServer::start(config).await;
    let dir = TempDir::new("other-version");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(10_000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    server.configure(|c| {
        c.seed = 16;
        c.etag = Some("\"v16\"".into());
    });

    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("another version");
    let (message, retryable) = download_failure(&err);
    assert!(message.contains("another version"), "{message}");
    assert!(retryable);
    assert!(!target.exists() && !part_of(&target).exists());

    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.resumed_from, 0);
    assert_eq!(sha256_file(&target), sha256(&content(16, 40_000)));
}

#[tokio::test]
async fn old_last_modified_is_the_validator_without_an_etag() {
    let mut config = Config::new(17, 30_000);
    config.etag = None;
    config.last_modified = Some("Sun, 06 Nov 1994 08:49:37 GMT".into());
    let server = FileServer::start(config).await;
    let dir = TempDir::new("last-modified");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(12_345));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.resumed_from, 12_345);
    assert_eq!(sha256_file(&target), sha256(&content(17, 30_000)));
    let last = server.requests().pop().expect("a request");
    assert_eq!(
        last.if_range.as_deref(),
        Some("Sun, 06 Nov 1994 08:49:37 GMT")
    );
}

#[tokio::test]
async fn recent_last_modified_or_weak_etag_is_not_trusted_to_resume() {
    let mut config = Config::new(18, 30_000);
    config.etag = Some("W/\"v18\"".into());
    config.last_modified = Some(httpdate::fmt_http_date(std::time::SystemTime::now()));
    let server = FileServer::start(config).await;
    let dir = TempDir::new("weak");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(12_345));
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    let (message, _) = download_failure(&err);
    assert!(message.contains("next attempt starts over"), "{message}");
    assert!(
        matches!(
            err,
            Error::Download {
                resume: Some(sevendigital::download::Resume::StartOver),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!meta_of(&target).exists());
    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.resumed_from, 0);
    assert_eq!(server.requests()[1].range, None, "no validator: no Range");
    assert_eq!(sha256_file(&target), sha256(&content(18, 30_000)));
}

#[tokio::test]
async fn short_range_answers_are_kept_and_continued() {
    let mut config = Config::new(19, 10_000);
    config.ranges = Ranges::ShortSpan(3_000);
    let server = FileServer::start(config).await;
    let dir = TempDir::new("short-span");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1_000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("a short range");
    let (message, retryable) = download_failure(&err);
    assert!(
        message.contains("sent bytes 1000-3999 of 10000 and stopped there"),
        "{message}"
    );
    assert!(retryable);
    assert_eq!(file_len(&part_of(&target)), Some(4_000));
    let done = download::download_with_resume(
        &reqwest::Client::new(),
        server.url(),
        &target,
        &DownloadOptions::new(),
        retries(3),
    )
    .await
    .expect("download");
    assert_eq!(done.resumed_from, 7_000);
    assert_eq!(sha256_file(&target), sha256(&content(19, 10_000)));
}

#[tokio::test]
async fn complete_part_and_416_counts_as_complete() {
    let size = 4096;
    let server = FileServer::start(Config::new(20, size)).await;
    let dir = TempDir::new("416");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    // As if a process had written every byte, then died before the rename.
    append(&part_of(&target), &content_range(20, 1000, size));

    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("complete");

    assert_eq!((done.bytes, done.resumed_from), (size, size));
    assert_eq!(server.requests()[1].range.as_deref(), Some("bytes=4096-"));
    assert_eq!(sha256_file(&target), sha256(&content(20, size)));
    assert!(!part_of(&target).exists() && !meta_of(&target).exists());
}

#[tokio::test]
async fn part_longer_than_the_file_is_discarded_on_416() {
    let size = 4096;
    let server = FileServer::start(Config::new(21, size)).await;
    let dir = TempDir::new("416-long");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    append(&part_of(&target), &content_range(21, 1000, size + 10));

    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("416");
    assert_eq!(err.status(), Some(416));
    assert!(!target.exists() && !part_of(&target).exists());

    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("starts over");
    assert_eq!(done.resumed_from, 0);
    assert_eq!(sha256_file(&target), sha256(&content(21, size)));
}

fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .expect("open the .part");
    file.write_all(bytes).expect("append");
}

// ---------------------------------------------------------------------------------------------
// Failures

#[tokio::test]
async fn short_body_without_resume_is_an_error_naming_the_numbers() {
    let mut config = Config::new(22, 4096);
    config.etag = None;
    let server = FileServer::start(config).await;
    let dir = TempDir::new("short");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1000));
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    let (message, retryable) = download_failure(&err);
    assert!(message.contains("received 1000 of 4096 bytes"), "{message}");
    assert!(message.contains(&target.display().to_string()), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");
    assert!(retryable);
    assert_eq!(err.operation(), Some("download"));
    assert!(
        std::error::Error::source(&err).is_some(),
        "the transport error is the source"
    );
    assert!(!target.exists(), "no target");
    assert_eq!(file_len(&part_of(&target)), Some(1000), ".part present");
    assert!(!meta_of(&target).exists(), "no validator saved");
}

#[tokio::test]
async fn content_range_with_another_start_is_rejected() {
    let server = FileServer::start(Config::new(23, 4096)).await;
    let dir = TempDir::new("wrong-start");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    server.configure(|c| c.ranges = Ranges::WrongStart);
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("wrong start");
    let (message, retryable) = download_failure(&err);
    assert!(
        message.contains("sent bytes 1001-4095 when bytes from 1000 on were asked for"),
        "{message}"
    );
    assert!(!retryable);
    assert!(!target.exists());
    assert_eq!(
        std::fs::read(part_of(&target)).expect("read"),
        content(23, 1000),
        ".part untouched"
    );
}

#[tokio::test]
async fn body_longer_than_its_content_range_is_rejected_and_not_kept() {
    // Several chunks arrive whole before the one that goes too far.
    let server = FileServer::start(Config::new(24, 100_000)).await;
    let dir = TempDir::new("oversize");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    server.configure(|c| c.ranges = Ranges::Oversize);
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("oversized");
    let (message, retryable) = download_failure(&err);
    assert!(
        message.contains("went on past the 99000 bytes it announced"),
        "{message}"
    );
    assert!(!retryable);
    assert!(!target.exists());
    assert_eq!(
        std::fs::read(part_of(&target)).expect("read"),
        content(24, 1000),
        "nothing of the oversized answer kept"
    );
}

#[tokio::test]
async fn body_shorter_than_its_content_range_is_an_error_and_resumable() {
    let server = FileServer::start(Config::new(28, 4096)).await;
    let dir = TempDir::new("undersize");
    let target = dir.join("out.bin");
    server.fault(Fault::CutAfter(1000));
    get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("cut");
    server.configure(|c| c.ranges = Ranges::Undersize);
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("undersized");
    let (message, retryable) = download_failure(&err);
    assert!(
        message.contains("received 3996 of 4096 bytes: the answer was cut short"),
        "{message}"
    );
    assert!(message.contains("the next attempt resumes"), "{message}");
    match &err {
        Error::Download {
            resume: Some(sevendigital::download::Resume::FromPart { part }),
            ..
        } => assert!(part.to_string_lossy().ends_with(".part"), "{part:?}"),
        other => panic!("not a resumable download error: {other:?}"),
    }
    assert!(retryable);
    assert!(!target.exists());
    assert_eq!(
        std::fs::read(part_of(&target)).expect("read"),
        content(28, 3996)
    );
    server.configure(|c| c.ranges = Ranges::Honour);
    let done = get(&server, &target, &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.resumed_from, 3996);
    assert_eq!(sha256_file(&target), sha256(&content(28, 4096)));
}

#[tokio::test]
async fn error_envelope_becomes_api_error_and_nothing_is_written() {
    let server = FileServer::start(Config::new(25, 4096)).await;
    let dir = TempDir::new("404");
    let target = dir.join("out.bin");
    server.fault(Fault::Status(
        404,
        r#"{"status":"error","error":{"code":2001,"message":"Track not found"}}"#,
    ));
    let err = get(&server, &target, &DownloadOptions::new())
        .await
        .expect_err("404");
    assert_eq!(err.code(), Some(2001));
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.to_string(),
        "download: HTTP 404, 7digital error 2001: Track not found"
    );
    assert!(!target.exists() && !part_of(&target).exists() && !meta_of(&target).exists());

    // To a writer too.
    server.fault(Fault::Status(
        404,
        r#"{"status":"error","error":{"code":2001,"message":"x"}}"#,
    ));
    let mut out = Vec::new();
    let err = download::download_to_writer(
        &reqwest::Client::new(),
        server.url(),
        &mut out,
        &DownloadOptions::new(),
    )
    .await
    .expect_err("404");
    assert_eq!(err.code(), Some(2001));
    assert!(out.is_empty());
}

#[tokio::test]
async fn bad_inputs_are_rejected_before_anything_is_sent() {
    let server = FileServer::start(Config::new(26, 10)).await;
    let http = reqwest::Client::new();
    let options = DownloadOptions::new();
    let dir = TempDir::new("inputs");

    let err = download::download_to_path(&http, server.url(), &dir.join(".."), &options)
        .await
        .expect_err("no file name");
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "target"),
        "{err:?}"
    );

    let err = download::download_to_path(
        &http,
        || Ok("ftp://example.com/x".into()),
        &dir.join("a"),
        &options,
    )
    .await
    .expect_err("ftp");
    assert!(
        matches!(&err, Error::InvalidInput { field, .. } if field == "url"),
        "{err:?}"
    );

    let err = download::download_to_path(
        &http,
        || {
            Err(Error::UserTokenRequired {
                operation: "presign_url",
            })
        },
        &dir.join("a"),
        &options,
    )
    .await
    .expect_err("no URL");
    assert!(matches!(err, Error::UserTokenRequired { .. }), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    let url = format!("{}/x", common::closed_port_url());
    let dir = TempDir::new("unreachable");
    let err = download::download_to_path(
        &reqwest::Client::new(),
        || Ok(url.clone()),
        &dir.join("a"),
        &DownloadOptions::new(),
    )
    .await
    .expect_err("refused");
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "download",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!dir.join("a").exists() && !dir.join("a.part").exists());
}

#[test]
fn download_futures_are_send() {
    fn assert_send<T: Send>(_: T) {}
    let http = reqwest::Client::new();
    let options = DownloadOptions::new();
    let url = || Ok::<_, Error>("http://127.0.0.1:9/".to_string());
    assert_send(download::download_to_path(
        &http,
        url,
        Path::new("x"),
        &options,
    ));
    assert_send(download::download_with_resume(
        &http,
        url,
        Path::new("x"),
        &options,
        no_retries(),
    ));
    let mut out = Vec::new();
    assert_send(download::download_to_writer(&http, url, &mut out, &options));
}

// ---------------------------------------------------------------------------------------------
// File names

#[test]
fn sanitize_keeps_only_a_safe_last_component() {
    let cases: &[(&str, Option<&str>)] = &[
        ("track.flac", Some("track.flac")),
        ("../../etc/passwd", Some("passwd")),
        ("a/b", Some("b")),
        ("..", None),
        (".", None),
        ("", None),
        ("   ", None),
        ("dir/", None),
        ("a/..", None),
        (".hidden", Some("hidden")),
        ("...hidden", Some("hidden")),
        (". .hidden", Some("hidden")),
        ("C:\\x", Some("x")),
        ("C:\\Windows\\..\\evil.exe", Some("evil.exe")),
        ("C:x.txt", Some("C_x.txt")),
        ("a\u{0}b\nc\r\u{7f}.mp3", Some("abc.mp3")),
        ("\u{1b}[31mred.txt", Some("[31mred.txt")),
        ("evil\u{202e}gpj.exe", Some("evilgpj.exe")),
        ("what?<now>|*.mp3", Some("what__now___.mp3")),
        ("name. . .", Some("name")),
        ("  spaced name.mp3  ", Some("spaced name.mp3")),
        ("CON", Some("_CON")),
        ("nul.txt", Some("_nul.txt")),
        ("com1.flac", Some("_com1.flac")),
        ("console.txt", Some("console.txt")),
        ("naïve – live.flac", Some("naïve – live.flac")),
    ];
    for (input, expected) in cases {
        assert_eq!(sanitize_file_name(input).as_deref(), *expected, "{input:?}");
    }
}

#[test]
fn content_disposition_file_names_are_decoded() {
    let cases: &[(&str, Option<&str>)] = &[
        ("attachment; filename=track.flac", Some("track.flac")),
        (
            "attachment; filename=\"Track 01.flac\"",
            Some("Track 01.flac"),
        ),
        (
            r#"attachment; filename="say \"hi\".mp3""#,
            Some(r#"say "hi".mp3"#),
        ),
        (
            r#"attachment; filename="back\\slash.mp3""#,
            Some(r"back\slash.mp3"),
        ),
        (
            "attachment; filename*=UTF-8''na%C3%AFve.zip",
            Some("naïve.zip"),
        ),
        (
            "attachment; filename=\"naive.zip\"; filename*=UTF-8''na%C3%AFve.zip",
            Some("naïve.zip"),
        ),
        (
            "attachment; filename*=UTF-8''na%C3%AFve.zip; filename=\"naive.zip\"",
            Some("naïve.zip"),
        ),
        (
            "attachment; FILENAME*=utf-8'fr'caf%C3%A9.txt",
            Some("café.txt"),
        ),
        (
            "attachment; filename*=iso-8859-1''%A3%20rates.txt",
            Some("£ rates.txt"),
        ),
        // A broken extended value falls back to `filename`.
        (
            "attachment; filename*=UTF-8''%ZZ; filename=plain.txt",
            Some("plain.txt"),
        ),
        (
            "inline; filename=\"../../etc/passwd\"",
            Some("../../etc/passwd"),
        ),
        ("attachment; filename=\"a\u{7}b.txt\"", Some("a\u{7}b.txt")),
        ("attachment", None),
        ("attachment; size=10", None),
        ("", None),
        ("attachment; filename=\"unterminated", None),
    ];
    for (input, expected) in cases {
        assert_eq!(
            parse_content_disposition(input).as_deref(),
            *expected,
            "{input:?}"
        );
    }
}

#[test]
fn suggested_names_combine_parsing_and_sanitising() {
    let suggested =
        |value: &str| parse_content_disposition(value).and_then(|n| sanitize_file_name(&n));
    assert_eq!(
        suggested("attachment; filename=\"../../etc/passwd\"").as_deref(),
        Some("passwd")
    );
    assert_eq!(
        suggested("attachment; filename*=UTF-8''..%2F..%2F.bashrc").as_deref(),
        Some("bashrc")
    );
    assert_eq!(
        suggested("attachment; filename=\"a\u{7}b.txt\"").as_deref(),
        Some("ab.txt")
    );
    assert_eq!(suggested("attachment; filename=\"..\"").as_deref(), None);
    assert_eq!(
        suggested("attachment; filename*=UTF-8''C%3A%5Cx").as_deref(),
        Some("x")
    );
}

#[tokio::test]
async fn unusable_disposition_gives_no_suggested_name() {
    let mut config = Config::new(27, 100);
    config.disposition = Some("attachment; filename=\"../..\"".into());
    let server = FileServer::start(config).await;
    let dir = TempDir::new("no-name");
    let done = get(&server, &dir.join("a"), &DownloadOptions::new())
        .await
        .expect("download");
    assert_eq!(done.suggested_name, None);
}
