//! What the test modules share: a recording HTTP server on 127.0.0.1, clients and fakes set up
//! for tests, servers that hang up or are not there, and (in the submodules) a capturing
//! `tracing` subscriber, an independent OAuth check, child processes of the binary and the
//! external test tools.
//!
//! Every test runs in this one process, beside the others: no test may change what the process
//! shares (the environment, the current directory, a global `tracing` subscriber, a fixed port).
//! A test that must change the environment runs again alone in a child process
//! ([`alone_in_a_child_process`]); a `tracing` subscriber is installed for one thread only
//! ([`capture::install`]); servers bind port 0.

#![allow(dead_code)]

pub mod capture;
#[cfg(feature = "cli")]
pub mod process;
pub mod tools;
pub mod verify;

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// A `getAllTags` answer with one tag.
pub const TAGS: &str = r#"{"status":"ok","tags":{"page":1,"pageSize":10,"totalItems":1,"tag":[{"id":"rock","text":"rock"}]}}"#;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The raw (still percent-encoded) path.
    pub path: String,
    /// The raw query string.
    pub raw_query: String,
    /// The decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Query pairs without the OAuth protocol parameters.
    pub fn plain_query(&self) -> Vec<(String, String)> {
        self.query
            .iter()
            .filter(|(k, _)| !k.starts_with("oauth_"))
            .cloned()
            .collect()
    }

    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }
}

/// What the server answers: status, headers, body.
pub type Answer = (u16, Vec<(&'static str, String)>, Vec<u8>);

type Responder = dyn Fn(&Received) -> Answer + Send + Sync;

#[derive(Clone)]
struct Shared {
    log: Arc<Mutex<Vec<Received>>>,
    responder: Arc<Responder>,
}

/// A server that records every request and answers with `responder`.
pub struct Server {
    pub base_url: String,
    log: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    pub async fn start(responder: impl Fn(&Received) -> Answer + Send + Sync + 'static) -> Server {
        let log = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared {
            log: Arc::clone(&log),
            responder: Arc::new(responder),
        };
        let app = axum::Router::new().fallback(handle).with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Server {
            base_url: format!("http://{addr}"),
            log,
            task,
        }
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    /// A server answering every request with [`TAGS`] and `cache_control`.
    pub async fn tags_with_cache_control(cache_control: &'static str) -> Server {
        Server::start(move |_| {
            let (status, mut headers, body) = Server::json(200, TAGS);
            headers.push(("cache-control", cache_control.into()));
            (status, headers, body)
        })
        .await
    }

    /// A server answering `body` (JSON) after `delay`, on a runtime and threads of its own, so
    /// that its blocking wait never holds up the test's own timers (a task blocked on a worker
    /// of the test's runtime can delay the tasks queued behind it). Lives until the test
    /// process ends.
    pub fn slow(delay: std::time::Duration, body: &'static str) -> Server {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(4)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let server = Server::start(move |_| {
                    std::thread::sleep(delay);
                    Server::json(200, body)
                })
                .await;
                sender.send(server).unwrap();
                std::future::pending::<()>().await;
            });
        });
        receiver.recv().unwrap()
    }

    /// A JSON answer.
    pub fn json(status: u16, body: &str) -> Answer {
        (
            status,
            vec![("content-type", "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(
    State(shared): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let raw_query = uri.query().unwrap_or("").to_string();
    let received = Received {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: url::form_urlencoded::parse(raw_query.as_bytes())
            .into_owned()
            .collect(),
        raw_query,
        headers,
        body: body.to_vec(),
    };
    let (status, answer_headers, answer_body) = (shared.responder)(&received);
    shared.log.lock().unwrap().push(received);
    let mut response = (StatusCode::from_u16(status).unwrap(), answer_body).into_response();
    for (name, value) in answer_headers {
        response.headers_mut().insert(name, value.parse().unwrap());
    }
    response
}

/// The page `request` asks for (`page` and `pageSize`, 1 and 10 when absent) of `total` items
/// numbered from 1: the page, its size, the numbers of the items on it, and the JSON members
/// to splice in after `pageSize` (`,"totalItems":N`, or nothing when `with_total` is false).
pub fn page_asked(
    request: &Received,
    total: u64,
    with_total: bool,
) -> (u64, u64, std::ops::RangeInclusive<u64>, String) {
    let page: u64 = request.query_value("page").unwrap_or("1").parse().unwrap();
    let size: u64 = request
        .query_value("pageSize")
        .unwrap_or("10")
        .parse()
        .unwrap();
    let numbers = (page - 1) * size + 1..=(page * size).min(total);
    let total = if with_total {
        format!(r#","totalItems":{total}"#)
    } else {
        String::new()
    };
    (page, size, numbers, total)
}

/// A client against `server`, with fixed consumer credentials and no retry delays worth waiting for.
pub fn client(server: &Server) -> sevendigital::Client {
    sevendigital::Client::builder()
        .base_url(&server.base_url)
        .consumer("test-key", "test-secret")
        .retry(sevendigital::RetryPolicy::new(
            2,
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(5),
        ))
        .build()
        .unwrap()
}

/// A TCP server that reads each request and closes the connection without answering; returns
/// its base URL and the number of connections it has taken.
pub async fn hang_up() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = tokio::io::AsyncReadExt::read(&mut socket, &mut buf).await;
            drop(socket);
        }
    });
    (format!("http://{addr}"), count)
}

/// The base URL of a port of 127.0.0.1 that nothing listens on (bound, then let go).
pub fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}")
}

/// The fake 7digital checking signatures, serving downloads of `download_bytes` bytes, with the
/// user token `a-token` (secret `a-secret`) of user `a`.
pub async fn signing_fake(download_bytes: u64) -> sevendigital::server::fake::FakeHandle {
    sevendigital::server::fake::Fake::builder()
        .verify_signatures(true)
        .download_bytes(download_bytes)
        .user_token("a-token", "a-secret", "a")
        .start()
        .await
        .unwrap()
}

/// Every `.rs` file under `dir`, recursively, appended to `out`.
pub fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// For a test that changes what the whole process shares (the environment): in the test
/// binary's own run, runs the test `name` (its path in this binary, `module::test`) again in a
/// child process of this binary, alone, asserts that it ran and passed there, and returns
/// `false` (the caller returns); in that child, returns `true` (the caller goes on).
pub fn alone_in_a_child_process(name: &str) -> bool {
    const CHILD: &str = "SEVENDIGITAL_TEST_ALONE";
    if std::env::var_os(CHILD).is_some_and(|v| v == name) {
        return true;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--test-threads=1", "--nocapture"])
        .env(CHILD, name)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("running 1 test"),
        "{name}, alone in a child process:\n{stdout}\n{stderr}"
    );
    false
}
