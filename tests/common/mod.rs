//! A recording HTTP server on 127.0.0.1 for the client's tests.

#![allow(dead_code)]

pub mod capture;
#[cfg(feature = "cli")]
pub mod process;
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
