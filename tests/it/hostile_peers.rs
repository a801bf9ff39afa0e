//! The client, the command line and `serve` stay safe and bounded against hostile peers.
//!
//! The peers: raw TCP servers on 127.0.0.1 that redirect to other origins, send endless, slow or lying bodies, and put
//! escape sequences or megabytes in their error messages; and raw clients that probe the fake
//! with slow and oversized requests. Every test is bounded in time.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sevendigital::download::{self, DownloadOptions, MinRate};
use sevendigital::oauth::Secret;
use sevendigital::{AuthPlacement, Client, Error, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "hostile-key";
const SECRET: &str = "hostile-secret";

/// One request as received.
#[derive(Debug, Clone)]
struct Req {
    head: String,
    body: Vec<u8>,
}

impl Req {
    /// The request target (path and query).
    fn target(&self) -> &str {
        self.head.split(' ').nth(1).unwrap_or("")
    }

    fn method(&self) -> &str {
        self.head.split(' ').next().unwrap_or("")
    }
}

/// A raw server: counts connections, records requests, and hands each (request, stream) to
/// `answer`.
struct Hostile {
    base: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<Mutex<Vec<Req>>>,
}

impl Hostile {
    async fn start<F, Fut>(answer: F) -> Hostile
    where
        F: Fn(usize, Req, TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let answer = Arc::new(answer);
        let (count, log) = (Arc::clone(&connections), Arc::clone(&requests));
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let (answer, log) = (Arc::clone(&answer), Arc::clone(&log));
                tokio::spawn(async move {
                    let Some(req) = read_request(&mut stream).await else {
                        return;
                    };
                    log.lock().unwrap().push(req.clone());
                    answer(n, req, stream).await;
                });
            }
        });
        Hostile {
            base,
            connections,
            requests,
        }
    }

    fn port(&self) -> &str {
        self.base.rsplit(':').next().unwrap()
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<Req> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if data.len() > 1 << 20 {
            return None;
        }
    };
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = data[end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&buf[..n]);
    }
    Some(Req { head, body })
}

async fn respond(mut stream: TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.shutdown().await;
}

/// Writes `chunk` forever (until the peer goes away) after a head without a length.
async fn endless(mut stream: TcpStream, status: &str) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n["
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let chunk = vec![b' '; 64 * 1024];
    while stream.write_all(&chunk).await.is_ok() {}
}

fn client(base: &str, placement: AuthPlacement) -> Client {
    Client::builder()
        .base_url(base)
        .download_url(base)
        .consumer(KEY, SECRET)
        .auth_placement(placement)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Runs `test` with a 10 s bound.
async fn bounded<F: Future<Output = ()>>(test: F) {
    tokio::time::timeout(Duration::from_secs(10), test)
        .await
        .expect("the test took more than 10 s");
}

fn assert_one_clean_line(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
        "control characters in {text:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_never_follows_a_redirect_to_another_origin() {
    bounded(async {
        let other = Hostile::start(|_, _, stream| respond(stream, "200 OK", &[], b"{}")).await;
        let target = format!("{}/steal", other.base);
        let origin = Hostile::start(move |_, _, stream| {
            let target = target.clone();
            async move {
                respond(
                    stream,
                    "307 Temporary Redirect",
                    &[("Location", target)],
                    b"",
                )
                .await
            }
        })
        .await;
        for placement in [AuthPlacement::Query, AuthPlacement::Header] {
            let err = client(&origin.base, placement)
                .authenticate_user("someone@example.com", "hunter2-secret")
                .send()
                .await
                .unwrap_err();
            let Error::Redirect { from, to, .. } = &err else {
                panic!("{err:?}")
            };
            assert!(from.ends_with(origin.port()), "{from}");
            assert!(to.ends_with(other.port()), "{to}");
            let shown = err.to_string();
            assert!(
                shown.contains(&origin.base) && shown.contains(&other.base),
                "{shown}"
            );
            assert!(!shown.contains("hunter2") && !format!("{err:?}").contains("hunter2"));
        }
        // The first request carried the password (to the API's own origin): the other got nothing.
        assert_eq!(origin.requests.lock().unwrap().len(), 2);
        assert!(
            String::from_utf8_lossy(&origin.requests.lock().unwrap()[0].body).contains("hunter2")
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            other.connections.load(Ordering::SeqCst),
            0,
            "the other origin was contacted"
        );

        // A sale (user/deliveritem) and a download are refused the same way.
        let user = client(&origin.base, AuthPlacement::Query).with_user_token("t", "ts");
        let err = user
            .deliver_user_item()
            .send()
            .await
            .map(|_| ())
            .unwrap_err();
        assert!(matches!(err, Error::Redirect { .. }), "{err:?}");
        assert_eq!(other.connections.load(Ordering::SeqCst), 0);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_follow_redirects_to_another_host_only_over_https() {
    bounded(async {
        // From loopback http to a non-loopback http host: refused before any connection.
        let origin = Hostile::start(|_, _, stream| async move {
            let location = "http://files.example.invalid/x".to_string();
            respond(stream, "302 Found", &[("Location", location)], b"").await
        })
        .await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let url = format!("{}/file", origin.base);
        let mut sink = Vec::new();
        let err = download::download_to_writer(
            &http,
            || Ok(url.clone()),
            &mut sink,
            &DownloadOptions::new(),
        )
        .await
        .unwrap_err();
        let Error::Redirect { from, to, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(from.ends_with(origin.port()));
        assert_eq!(to, "http://files.example.invalid");

        // Loopback to loopback (another port) is followed, and the final URL reported.
        let files =
            Hostile::start(|_, _, stream| respond(stream, "200 OK", &[], b"0123456789")).await;
        let target = format!("{}/real?sig=abc", files.base);
        let hop = Hostile::start(move |_, _, stream| {
            let target = target.clone();
            async move { respond(stream, "302 Found", &[("Location", target)], b"").await }
        })
        .await;
        let url = format!("{}/file", hop.base);
        let mut sink = Vec::new();
        let done = download::download_to_writer(
            &http,
            || Ok(url.clone()),
            &mut sink,
            &DownloadOptions::new(),
        )
        .await
        .unwrap();
        assert_eq!(sink, b"0123456789");
        assert_eq!(done.final_url, Some(format!("{}/real", files.base)));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_same_origin_redirect_is_signed_for_its_new_url() {
    bounded(async {
        let server = Arc::new(Mutex::new(String::new()));
        let base_slot = Arc::clone(&server);
        let origin = Hostile::start(move |n, req, stream| {
            let base = base_slot.lock().unwrap().clone();
            async move {
                if n == 0 {
                    return respond(
                        stream,
                        "307 Temporary Redirect",
                        &[(
                            "Location",
                            "/moved/authenticate?via=redirect&oauth_signature=old".to_string(),
                        )],
                        b"",
                    )
                    .await;
                }
                let url = url::Url::parse(&format!("{base}{}", req.target())).unwrap();
                let params: Vec<(String, String)> = url
                    .query_pairs()
                    .filter(|(k, _)| k.starts_with("oauth_"))
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let form: Vec<(String, String)> = url::form_urlencoded::parse(&req.body)
                    .into_owned()
                    .collect();
                let valid = req.method() == "POST"
                    && url.path() == "/moved/authenticate"
                    && params
                        .iter()
                        .filter(|(k, _)| k == "oauth_signature")
                        .count()
                        == 1
                    && sevendigital::oauth::verify(
                        "POST",
                        &url,
                        Some(&form),
                        &params,
                        &Secret::new(SECRET),
                        None,
                    );
                let code = if valid { 4242 } else { 4001 };
                let body = format!(
                    r#"{{"status":"error","error":{{"code":{code},"message":"checked"}}}}"#
                );
                respond(stream, "400 Bad Request", &[], body.as_bytes()).await
            }
        })
        .await;
        *server.lock().unwrap() = origin.base.clone();
        let err = client(&origin.base, AuthPlacement::Query)
            .authenticate_user("someone@example.com", "pw")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            Some(4242),
            "the redirected request was not signed for its URL: {err}"
        );
        let requests = origin.requests.lock().unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[0].body, requests[1].body,
            "307 keeps the body (same origin)"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_and_oversized_answers_stop_at_the_limit() {
    bounded(async {
        let server = Hostile::start(|_, _, stream| endless(stream, "200 OK")).await;
        let capped = Client::builder()
            .base_url(&server.base)
            .consumer(KEY, SECRET)
            .retry(RetryPolicy::none())
            .max_response_bytes(1024 * 1024)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = capped.get_all_tags().send().await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    limit: 1_048_576,
                    status: 200,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("1048576 bytes"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(5));

        // A length announced past the limit is refused before reading.
        let liar = Hostile::start(|_, _, mut stream| async move {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\n{")
                .await;
            tokio::time::sleep(Duration::from_secs(20)).await;
        })
        .await;
        let started = Instant::now();
        let err = client(&liar.base, AuthPlacement::Query)
            .get_all_tags()
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::TooLarge { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(2));

        // An endless error body: only its beginning is read.
        let server =
            Hostile::start(|_, _, stream| endless(stream, "500 Internal Server Error")).await;
        let err = client(&server.base, AuthPlacement::Query)
            .get_all_tags()
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(500), "{err:?}");
        assert!(err.to_string().len() < 1000);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_are_bounded_in_size_time_and_rate() {
    bounded(async {
        let dir = std::env::temp_dir().join(format!("sevendigital-hostile-{}", std::process::id()));
        tokio::fs::create_dir_all(&dir).await.unwrap();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();

        // No length, endless: stopped at the size limit, nothing kept.
        let server = Hostile::start(|_, _, stream| endless(stream, "200 OK")).await;
        let url = format!("{}/file", server.base);
        let target = dir.join("endless.bin");
        let options = DownloadOptions::new().max_bytes(Some(2 * 1024 * 1024));
        let err = download::download_to_path(&http, || Ok(url.clone()), &target, &options)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("limit of 2097152 bytes"), "{err}");
        let part = dir.join("endless.bin.part");
        let kept = tokio::fs::metadata(&part)
            .await
            .map(|m| m.len())
            .unwrap_or(0);
        assert_eq!(kept, 0, "the .part keeps nothing of an oversized answer");

        // A lying length past the limit: refused before anything is written.
        let liar = Hostile::start(|_, _, mut stream| async move {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000000\r\n\r\nabc")
                .await;
            tokio::time::sleep(Duration::from_secs(20)).await;
        })
        .await;
        let url = format!("{}/file", liar.base);
        let started = Instant::now();
        let err = download::download_to_path(
            &http,
            || Ok(url.clone()),
            &dir.join("liar.bin"),
            &DownloadOptions::new(),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("more than the limit"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));

        // A byte every 100 ms: below the minimum rate, and past the deadline; bounded with retries too.
        let slow = Hostile::start(|_, _, mut stream| async move {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                .await;
            for _ in 0..100_000 {
                if stream.write_all(b"x").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
        let url = format!("{}/file", slow.base);
        let options = DownloadOptions::new().min_rate(Some(MinRate {
            bytes_per_second: 1000,
            window: Duration::from_secs(1),
        }));
        let started = Instant::now();
        let mut sink = Vec::new();
        let err = download::download_to_writer(&http, || Ok(url.clone()), &mut sink, &options)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("minimum rate"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(3));

        let options = DownloadOptions::new()
            .min_rate(None)
            .deadline(Some(Duration::from_millis(1500)));
        let started = Instant::now();
        let err = download::download_with_resume(
            &http,
            || Ok(url.clone()),
            &dir.join("slow.bin"),
            &options,
            RetryPolicy::new(5, Duration::from_millis(10), Duration::from_millis(10)),
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("deadline"), "{err}");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        let _ = tokio::fs::remove_dir_all(&dir).await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_text_in_errors_is_escaped_and_bounded() {
    bounded(async {
        let nasty = "\u{1b}[2J\u{1b}]0;pwned\u{7}red\r\nerror: fake second line\u{202e}";
        let envelope =
            serde_json::json!({"status":"error","error":{"code":2001,"message":nasty}}).to_string();
        let server = Hostile::start(move |_, _, stream| {
            let body = envelope.clone();
            async move { respond(stream, "404 Not Found", &[], body.as_bytes()).await }
        })
        .await;
        let err = client(&server.base, AuthPlacement::Query)
            .get_all_tags()
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), Some(2001));
        let shown = err.to_string();
        assert_one_clean_line(&shown);
        assert!(
            shown.contains("\\u{1b}[2J") && shown.contains("\\r\\n"),
            "{shown}"
        );
        assert_one_clean_line(&format!("{err:?}"));

        // 10 MB of error: Display and Debug stay short.
        let huge = format!(
            r#"{{"status":"error","error":{{"code":2001,"message":"{}"}}}}"#,
            "A".repeat(10 * 1024 * 1024)
        );
        let plain = "B".repeat(10 * 1024 * 1024);
        for body in [huge, plain] {
            let server = Hostile::start(move |_, _, stream| {
                let body = body.clone();
                async move { respond(stream, "400 Bad Request", &[], body.as_bytes()).await }
            })
            .await;
            let err = client(&server.base, AuthPlacement::Query)
                .get_all_tags()
                .send()
                .await
                .unwrap_err();
            assert_eq!(err.status(), Some(400));
            assert!(
                err.to_string().chars().count() < 600,
                "{}",
                err.to_string().len()
            );
            assert!(format!("{err:?}").chars().count() < 600);
            assert!(err.to_string().contains('…'));
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_skewed_server_clock_is_learned_from_its_date() {
    use sevendigital::oauth::{Clock, SystemClock};
    use sevendigital::server::fake::Fake;

    #[derive(Debug)]
    struct Ahead(u64);
    impl Clock for Ahead {
        fn now_unix(&self) -> u64 {
            SystemClock.now_unix() + self.0
        }
    }
    bounded(async {
        let fake = Fake::builder()
            .verify_signatures(true)
            .clock(Arc::new(Ahead(3600)))
            .timestamp_window(Some(Duration::from_secs(300)))
            .start()
            .await
            .unwrap();
        let client = fake
            .client_builder()
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        assert_eq!(client.clock_offset(), 0);
        let before = fake.fake().requests();
        client
            .create_partner_user("skew-1", "GB")
            .send()
            .await
            .unwrap();
        let offset = client.clock_offset();
        assert!((3590..=3610).contains(&offset), "{offset}");
        assert_eq!(
            fake.fake().requests() - before,
            2,
            "one refusal, one re-signed request"
        );
        // Later calls are signed with the offset straight away.
        client
            .create_partner_user("skew-2", "GB")
            .send()
            .await
            .unwrap();
        assert_eq!(fake.fake().requests() - before, 3);
    })
    .await;
}

/// Sends `request` to the fake raw and returns what came back and how long it took.
async fn probe(addr: std::net::SocketAddr, request: &[u8], wait: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(request).await;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let _ = tokio::time::timeout(wait, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_refuses_slow_and_oversized_requests() {
    use sevendigital::server::fake::Fake;
    bounded(async {
        let fake = Fake::builder()
            .verify_signatures(true)
            .header_timeout(Duration::from_secs(1))
            .body_timeout(Duration::from_secs(1))
            .start()
            .await
            .unwrap();
        let addr = fake.addr();

        // An impossible Content-Length: 413 at once, without waiting for the body.
        let (answer, took) = probe(
            addr,
            b"POST /user/authenticate HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000000000000\r\n\r\n",
            Duration::from_secs(3),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(took < Duration::from_secs(2), "{took:?}");

        // A malformed chunk size: 400 Bad Request, not 413.
        let (answer, _) = probe(
            addr,
            b"POST /user/authenticate HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nhello\r\n0\r\n\r\n",
            Duration::from_secs(3),
        )
        .await;
        assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        assert!(!answer.contains("larger than"), "{answer}");

        // Slowloris: one header byte every 200 ms is cut off after the header timeout.
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = b"GET /tag HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        let mut closed = false;
        for byte in request {
            if stream.write_all(&[*byte]).await.is_err() {
                closed = true;
                break;
            }
            let mut buf = [0u8; 256];
            if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await
            {
                let _ = n;
                closed = true;
                break;
            }
        }
        assert!(closed, "a slowloris connection was never closed");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

        // A body sent one byte at a time: cut off after the body timeout.
        let started = Instant::now();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST /user/authenticate HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n")
            .await
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            tokio::select! {
                read = stream.read(&mut buf) => match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                },
                () = tokio::time::sleep(Duration::from_millis(200)) => {
                    if stream.write_all(b"a").await.is_err() { break; }
                }
            }
            if started.elapsed() > Duration::from_secs(5) {
                break;
            }
        }
        let answer = String::from_utf8_lossy(&got);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_sheds_load_past_its_concurrency_limit() {
    use sevendigital::server::fake::{Fake, Faults};
    bounded(async {
        let fake = Fake::builder()
            .max_concurrency(2)
            .faults(Faults {
                latency: Duration::from_millis(500),
                ..Faults::default()
            })
            .start()
            .await
            .unwrap();
        let client = fake
            .client_builder()
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let calls: Vec<_> = (0..6)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.get_all_tags().send().await.map(|_| ()) })
            })
            .collect();
        let mut shed = 0;
        let mut ok = 0;
        for call in calls {
            match call.await.unwrap() {
                Ok(()) => ok += 1,
                Err(e) if e.status() == Some(503) => shed += 1,
                Err(e) => panic!("{e}"),
            }
        }
        assert!(ok >= 2 && shed >= 1, "ok {ok}, shed {shed}");
    })
    .await;
}

#[cfg(feature = "cli")]
mod cli {
    use super::*;
    use crate::common::process::output;
    use assert_cmd::Command;

    fn cli(base: &str) -> Command {
        let mut cmd = Command::cargo_bin("sevendigital").unwrap();
        cmd.env_clear()
            .env("SEVENDIGITAL_BASE_URL", base)
            .env("SEVENDIGITAL_CONSUMER_KEY", KEY)
            .env("SEVENDIGITAL_CONSUMER_SECRET", SECRET)
            .timeout(Duration::from_secs(8));
        cmd
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_command_line_keeps_the_terminal_and_the_password() {
        bounded(async {
            let other = Hostile::start(|_, _, stream| respond(stream, "200 OK", &[], b"{}")).await;
            let target = format!("{}/steal", other.base);
            let origin = Hostile::start(move |_, _, stream| {
                let target = target.clone();
                async move { respond(stream, "308 Permanent Redirect", &[("Location", target)], b"").await }
            })
            .await;
            let mut cmd = cli(&origin.base);
            cmd.args(["authenticate-user", "--email", "a@example.com", "--password", "hunter2"]);
            let (code, out, err) = output(cmd).await;
            assert_eq!(code, 1, "{out}{err}");
            assert!(err.contains(&origin.base) && err.contains(&other.base), "{err}");
            assert_eq!(other.connections.load(Ordering::SeqCst), 0);

            let nasty = serde_json::json!({"status":"error","error":{"code":2001,"message":format!("\u{1b}[31mred\r\nerror: forged{}", "x".repeat(1_000_000))}}).to_string();
            let server = Hostile::start(move |_, _, stream| {
                let body = nasty.clone();
                async move { respond(stream, "404 Not Found", &[], body.as_bytes()).await }
            })
            .await;
            let mut cmd = cli(&server.base);
            cmd.args(["get-all-tags"]);
            let (code, out, err) = output(cmd).await;
            assert_eq!(code, 1);
            assert!(out.is_empty());
            assert_eq!(err.lines().count(), 1, "{err:?}");
            assert_one_clean_line(err.trim_end_matches('\n'));
            assert!(err.len() < 1000, "{}", err.len());

            let server = Hostile::start(|_, _, stream| endless(stream, "200 OK")).await;
            let mut cmd = cli(&server.base);
            cmd.args(["get-all-tags"]);
            let (code, _, err) = output(cmd).await;
            assert_eq!(code, 1);
            assert!(err.contains("larger than the limit"), "{err}");
        })
        .await;
    }
}
