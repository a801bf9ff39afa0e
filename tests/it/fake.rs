//! The fake 7digital: every operation through the generated client and the generated router,
//! with signatures checked; parameter validation; OAuth refusals; fault injection; the 501
//! default of the route stubs; the `serve` command.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sevendigital::catalogue::OPERATIONS;
use sevendigital::models::*;
use sevendigital::oauth::{FixedClock, FixedNonce};
use sevendigital::server::fake::{Fake, Faults};
use sevendigital::{Client, Error};

/// Records which operations a test called.
#[derive(Default)]
struct Called(BTreeSet<&'static str>);

impl Called {
    fn ok<T>(&mut self, id: &'static str, result: Result<T, Error>) -> T {
        self.0.insert(id);
        result.unwrap_or_else(|e| panic!("{id}: {e}"))
    }
}

#[tokio::test]
async fn every_operation_round_trips_through_the_fake_with_signatures_checked() {
    let fake = Fake::builder()
        .verify_signatures(true)
        .user_token("jane-token", "jane-secret", "jane")
        .start()
        .await
        .unwrap();
    let c = fake.client().unwrap();
    let u = c.with_user_token("jane-token", "jane-secret");
    let mut called = Called::default();

    // Catalogue: what a search finds resolves in details. The catalogue is the captured
    // release of the spec's examples (as corrected by the overlay).
    let by_date = called.ok(
        "getReleasesByDate",
        c.get_releases_by_date().page(1).send().await,
    );
    let listed = by_date.releases.release.unwrap()[0].clone();
    let title = listed.title.clone().unwrap();
    let found = called.ok(
        "searchReleases",
        c.search_releases(&title).country("GB").send().await,
    );
    assert_eq!(found.search_results.total_items, 1);
    let hit = found.search_results.search_result.unwrap()[0].clone();
    assert_eq!(hit.type_.as_deref(), Some("release"));
    let release_id = hit.release.unwrap().id.unwrap().to_string();
    let details = called.ok(
        "getReleaseDetails",
        c.get_release_details(&release_id)
            .country("GB")
            .send()
            .await,
    );
    assert_eq!(details.status, "ok");
    assert_eq!(
        details.release.id.map(|id| id.to_string()).as_deref(),
        Some(release_id.as_str())
    );
    // The not-found rule (src/fake/catalogue.rs): 0 and multiples of 10000 do not exist.
    let err = c.get_release_details("10000").send().await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(404), Some(2001)));
    let none = c.search_releases("no such thing").send().await.unwrap();
    assert_eq!(none.search_results.total_items, 0);
    called.ok(
        "getReleaseEditorial",
        c.get_release_editorial(&release_id).send().await,
    );
    called.ok(
        "getReleaseChart",
        c.get_release_chart().period(Period::Week).send().await,
    );
    called.ok(
        "getReleaseRecommendations",
        c.get_release_recommendations(&release_id).send().await,
    );
    let tracks = called.ok(
        "getReleaseTracks",
        c.get_release_tracks(&release_id).send().await,
    );
    let track_id = tracks.tracks.track.unwrap()[0].id.unwrap().to_string();
    called.ok(
        "getReleaseTags",
        c.get_release_tags(&release_id).send().await,
    );
    called.ok(
        "matchReleaseById",
        c.match_release_by_id(listed.barcode.clone().unwrap())
            .send()
            .await,
    );
    called.ok(
        "getNewReleasesByTags",
        c.get_new_releases_by_tags("rock").send().await,
    );
    called.ok(
        "getTopReleasesByTags",
        c.get_top_releases_by_tags("rock").send().await,
    );
    let artist_name = listed.artist.clone().unwrap().name.unwrap();
    let artists = called.ok(
        "browseArtists",
        c.browse_artists(&artist_name[..1]).send().await,
    );
    let artist_id = artists.artists.artist.unwrap()[0].id.unwrap().to_string();
    called.ok("getArtistChart", c.get_artist_chart().send().await);
    let artist = called
        .ok(
            "getArtistDetails",
            c.get_artist_details(&artist_id).send().await,
        )
        .artist;
    called.ok(
        "getArtistReleases",
        c.get_artist_releases(&artist_id)
            .type_(ReleaseType2::Album)
            .send()
            .await,
    );
    called.ok(
        "getSimilarArtists",
        c.get_similar_artists(&artist_id).send().await,
    );
    let artist_hits = called.ok("searchArtists", c.search_artists(&artist_name).send().await);
    assert_eq!(artist_hits.search_results.total_items, 1);
    called.ok(
        "getArtistTopTracks",
        c.get_artist_top_tracks(&artist_id).send().await,
    );
    called.ok("getArtistTags", c.get_artist_tags(&artist_id).send().await);
    called.ok(
        "matchArtistById",
        c.match_artist_by_id("mbid:x").send().await,
    );
    called.ok(
        "getTopArtistsByTags",
        c.get_top_artists_by_tags("rock").send().await,
    );
    called.ok("getTrackChart", c.get_track_chart().send().await);
    let track = called
        .ok(
            "getTrackDetails",
            c.get_track_details(&track_id).send().await,
        )
        .track;
    let track_hits = called.ok(
        "searchTracks",
        c.search_tracks(track.title.clone().unwrap()).send().await,
    );
    assert_eq!(track_hits.search_results.total_items, 1);
    called.ok("matchTrackById", c.match_track_by_id("isrc:x").send().await);
    called.ok("getAllTags", c.get_all_tags().send().await);

    // Users.
    let signup = UserSignupRequest {
        email: "jane@example.com".into(),
        password: "pw".into(),
        first_name: Some("Jane".into()),
        last_name: None,
        country: "GB".into(),
    };
    let user = called
        .ok("signupUser", c.signup_user(signup).send().await)
        .user;
    assert_eq!(user.email_address.as_deref(), Some("jane@example.com"));
    let user_id = user.id.unwrap().to_string();
    called.ok("createUser", c.create_user("john@example.com").send().await);
    called.ok("getUserDetails", c.get_user_details(&user_id).send().await);
    let err = c
        .authenticate_user("jane@example.com", "wrong")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(3001));
    called.ok(
        "authenticateUser",
        c.authenticate_user("jane@example.com", "pw").send().await,
    );
    let found = called.ok(
        "findUsers",
        c.find_users().email("jane@example.com").send().await,
    );
    assert_eq!(found.users.len(), 1);
    let update = UserUpdateRequest {
        email: Some("jane.smith@example.com".into()),
        ..Default::default()
    };
    let updated = called.ok("updateUser", u.update_user(&user_id, update).send().await);
    assert_eq!(
        updated.user.email_address.as_deref(),
        Some("jane.smith@example.com")
    );

    // Baskets and purchases; purchases fill the locker.
    let basket = called
        .ok("createBasket", c.create_basket().send().await)
        .basket
        .id
        .unwrap();
    let b = called.ok(
        "addBasketItem",
        c.add_basket_item(&basket, &release_id).send().await,
    );
    let item = b.basket.basket_items.unwrap()[0].id.unwrap().to_string();
    called.ok("getBasket", c.get_basket(&basket).send().await);
    let b = called.ok(
        "addPricedBasketItem",
        c.add_priced_basket_item(&basket, 799.0)
            .release_id(&release_id)
            .send()
            .await,
    );
    assert_eq!(b.basket.item_count, Some(2));
    let voucher = c
        .get_payment_voucher_details("no-such-voucher")
        .send()
        .await
        .unwrap_err();
    assert_eq!(voucher.code(), Some(2001));
    let code = called
        .ok(
            "getPaymentVoucherDetails",
            c.get_payment_voucher_details(voucher_code()).send().await,
        )
        .voucher
        .code
        .unwrap();
    called.ok(
        "applyBasketVoucher",
        c.apply_basket_voucher(&basket, &code).send().await,
    );
    let b = called.ok(
        "removeBasketItem",
        c.remove_basket_item(&basket, &item).send().await,
    );
    assert_eq!(b.basket.basket_items.unwrap().len(), 1);
    called.ok(
        "getBasketPayPalUrl",
        c.get_basket_pay_pal_url(&basket).send().await,
    );
    called.ok(
        "completeBasketPayPalPurchase",
        u.complete_basket_pay_pal_purchase(&basket, "P", "T")
            .send()
            .await,
    );
    called.ok(
        "purchaseUserItem",
        u.purchase_user_item(&release_id)
            .track_id(&track_id)
            .send()
            .await,
    );
    called.ok(
        "purchaseUserRrpItem",
        u.purchase_user_rrp_item()
            .release_id(&release_id)
            .send()
            .await,
    );
    called.ok(
        "purchaseUserBasket",
        u.purchase_user_basket(&basket).send().await,
    );
    called.ok(
        "purchaseUserPricedItem",
        u.purchase_user_priced_item(499.0)
            .release_id(&release_id)
            .send()
            .await,
    );
    let locker = called.ok(
        "getUserLocker",
        u.get_user_locker().page(1).page_size(50).send().await,
    );
    let releases = locker.locker.locker_releases.unwrap();
    assert_eq!(
        releases.total_items, 5,
        "four release purchases and one track"
    );
    let first = &releases.locker_release.unwrap()[0];
    let tracks = first.locker_tracks.clone().unwrap().locker_track.unwrap();
    assert!(
        tracks[0]
            .download_urls
            .clone()
            .unwrap()
            .download_url
            .unwrap()[0]
            .url
            .is_some(),
        "locker tracks carry their download URLs"
    );
    called.ok(
        "deliverUserItem",
        u.deliver_user_item().release_id(&release_id).send().await,
    );

    // Cards and subscriptions.
    let card = CardRegistrationRequest {
        card_number: "4242424242424242".into(),
        expiry_month: 12,
        expiry_year: 2030,
        cvv: "123".into(),
        cardholder_name: None,
    };
    let registration = called.ok(
        "registerUserPaymentCard",
        u.register_user_payment_card(card).send().await,
    );
    called.ok(
        "getUserCardRegistration",
        u.get_user_card_registration(registration.card_registration.id.unwrap())
            .send()
            .await,
    );
    let cards = called
        .ok(
            "listUserPaymentCards",
            u.list_user_payment_cards().send().await,
        )
        .cards
        .unwrap();
    assert_eq!(cards[0].last4digits.as_deref(), Some("4242"));
    let card_id = cards[0].id.unwrap().to_string();
    called.ok(
        "selectUserPaymentCard",
        u.select_user_payment_card(&card_id).send().await,
    );
    called.ok(
        "deleteUserPaymentCard",
        u.delete_user_payment_card(&card_id).send().await,
    );
    called.ok(
        "updateUserUnlimitedStreaming",
        c.update_user_unlimited_streaming(&user_id, UpdateUserUnlimitedStreamingStatus::Active)
            .send()
            .await,
    );
    called.ok(
        "getUserUnlimitedStreaming",
        u.get_user_unlimited_streaming().send().await,
    );

    // The rest.
    called.ok("getCountries", c.get_countries().send().await);
    called.ok("getTranslations", c.get_translations("en-GB").send().await);
    called.ok(
        "resolveCountryForIp",
        c.resolve_country_for_ip("10.0.0.1").send().await,
    );
    called.ok("getEditorialList", c.get_editorial_list().send().await);
    called.ok(
        "getArtistIdByUrl",
        c.get_artist_id_by_url(artist.url.unwrap()).send().await,
    );
    called.ok(
        "getReleaseIdByUrl",
        c.get_release_id_by_url(details_url(&c, &release_id).await)
            .send()
            .await,
    );
    called.ok(
        "getPaymentCardTypes",
        c.get_payment_card_types().send().await,
    );

    // The download service.
    called.ok(
        "createPartnerUser",
        c.create_partner_user("store-1", "GB").send().await,
    );
    let sale = called
        .ok(
            "logSale",
            c.log_sale("store-1", &release_id, "GB", "tx-1", "7.99")
                .track_id(&track_id)
                .send()
                .await,
        )
        .purchase;
    let page = called.ok(
        "getPartnerLocker",
        c.get_partner_locker("store-1", "GB").send().await,
    );
    assert_eq!(page.total_items, Some(1));
    let dir = std::env::temp_dir().join(format!("sevendigital-fake-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let options = sevendigital::download::DownloadOptions::new();
    let fetched = called.ok(
        "downloadPurchaseZip",
        c.download_purchase_zip("store-1", &sale.id, "GB")
            .download_to(&dir.join("p.zip"), &options)
            .await,
    );
    assert_eq!(
        fetched.bytes,
        sevendigital::server::fake::DEFAULT_DOWNLOAD_BYTES
    );
    called.ok(
        "downloadPurchasedTrack",
        c.download_purchased_track("store-1", &track_id, &release_id, 17, "GB")
            .download_to(&dir.join("t.mp3"), &options)
            .await,
    );
    // A track sale gives no licence for the whole release: the answer is the API's 2002.
    let err = c
        .download_purchased_release_zip("store-1", &release_id, 17, "GB")
        .download_to(&dir.join("r.zip"), &options)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(2002), "{err}");
    called.0.insert("downloadPurchasedReleaseZip");
    let _ = std::fs::remove_dir_all(&dir);
    called.ok(
        "refundTrack",
        c.refund_track(&sale.id, &track_id).send().await,
    );
    let err = c
        .refund_release(&sale.id, &release_id, "GB")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::SaleNotFound { .. }), "{err:?}");
    called.0.insert("refundRelease");

    let all: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    assert_eq!(called.0, all, "every operation of the spec was called");
}

/// The voucher code of the spec's example (the one the fake knows).
fn voucher_code() -> String {
    let example = sevendigital::server::response_example(
        sevendigital::catalogue::GET_PAYMENT_VOUCHER_DETAILS.id,
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(example).unwrap();
    value["voucher"]["code"].as_str().unwrap().to_string()
}

async fn details_url(c: &Client, release_id: &str) -> String {
    c.get_release_details(release_id)
        .send()
        .await
        .unwrap()
        .release
        .url
        .unwrap()
}

async fn raw(url: String) -> (u16, serde_json::Value) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or_default(),
    )
}

#[tokio::test]
async fn invalid_inputs_get_400_with_the_code_and_the_parameter() {
    let fake = Fake::start().await.unwrap();
    let base = fake.base_url();
    let cases = [
        ("/release/details?country=GB", 1001, "releaseId"),
        ("/release/byDate?page=abc", 1002, "page"),
        ("/release/chart?period=fortnight", 1002, "period"),
        ("/release/byDate?pageSize=101", 1002, "pageSize"),
        ("/release/byDate?page=0", 1002, "page"),
        ("/release/byDate?country=GBR", 1002, "country"),
        (
            "/basket/addpriceditem?basketId=b&price=cheap",
            1002,
            "price",
        ),
        ("/artist/releases?artistId=1&type=boxset", 1002, "type"),
    ];
    for (path, code, name) in cases {
        let (status, body) = raw(format!("{base}{path}")).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["error"]["code"], code, "{path}: {body}");
        let message = body["error"]["errorMessage"].as_str().unwrap();
        assert!(message.contains(name), "{path}: {message}");
    }
    // Body fields too.
    let http = reqwest::Client::new();
    let form = |body: &'static str| {
        http.post(format!("{base}/user/payment/cardregistration"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let json = |bytes: ::reqwest::Result<axum::body::Bytes>| {
        serde_json::from_slice::<serde_json::Value>(&bytes.unwrap()).unwrap()
    };
    let missing = json(
        form("cardNumber=4242424242424242&expiryYear=2030&cvv=1")
            .await
            .unwrap()
            .bytes()
            .await,
    );
    assert_eq!(missing["error"]["code"], 1001);
    assert!(
        missing["error"]["errorMessage"]
            .as_str()
            .unwrap()
            .contains("expiryMonth")
    );
    let wrong = json(
        form("cardNumber=4242424242424242&expiryMonth=May&expiryYear=2030&cvv=1")
            .await
            .unwrap()
            .bytes()
            .await,
    );
    assert_eq!(wrong["error"]["code"], 1002);
    assert!(
        wrong["error"]["errorMessage"]
            .as_str()
            .unwrap()
            .contains("expiryMonth")
    );
}

#[tokio::test]
async fn oauth_problems_are_refused_with_401_and_a_code() {
    let fake = Fake::builder()
        .verify_signatures(true)
        .clock(Arc::new(FixedClock(2_000_000_000)))
        .start()
        .await
        .unwrap();
    let code = |e: Error| (e.status(), e.code());

    let wrong_secret = fake
        .client_builder()
        .consumer(sevendigital::server::fake::DEFAULT_CONSUMER_KEY, "nope")
        .build()
        .unwrap();
    assert_eq!(
        code(wrong_secret.get_user_details("1").send().await.unwrap_err()),
        (Some(401), Some(7003))
    );
    let wrong_key = fake
        .client_builder()
        .consumer("someone-else", "x")
        .build()
        .unwrap();
    assert_eq!(
        code(wrong_key.get_all_tags().send().await.unwrap_err()),
        (Some(401), Some(7001))
    );
    let unknown_token = fake.client().unwrap().with_user_token("who", "knows");
    assert_eq!(
        code(unknown_token.get_user_locker().send().await.unwrap_err()),
        (Some(401), Some(7002))
    );

    // The same nonce and timestamp twice: a replay.
    let replaying = fake
        .client_builder()
        .clock(Arc::new(FixedClock(1_999_999_999)))
        .nonce_source(Arc::new(FixedNonce::new("same-nonce")))
        .build()
        .unwrap();
    let first = replaying.get_user_details("1").send().await.unwrap_err();
    assert_eq!(
        code(first),
        (Some(404), Some(2001)),
        "signature accepted, user unknown"
    );
    assert_eq!(
        code(replaying.get_user_details("1").send().await.unwrap_err()),
        (Some(401), Some(7004))
    );

    // A pre-signed URL past its expiry (the fake's clock is ahead).
    let url = fake
        .client_builder()
        .clock(Arc::new(FixedClock(1_700_000_000)))
        .build()
        .unwrap()
        .get_user_details("1")
        .presigned_url(Some(Duration::from_secs(60)))
        .unwrap();
    let (status, body) = raw(url).await;
    assert_eq!((status, body["error"]["code"].as_i64()), (401, Some(7005)));
}

#[tokio::test]
async fn route_stubs_answer_501_until_implemented() {
    struct Nothing;
    impl sevendigital::server::Api for Nothing {}
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = sevendigital::server::router(Arc::new(Nothing));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let (status, body) = raw(format!("http://{addr}/tag")).await;
    assert_eq!(status, 501);
    assert_eq!(body["error"]["code"], 9001);
    assert!(
        body["error"]["errorMessage"]
            .as_str()
            .unwrap()
            .contains("getAllTags")
    );
    // Validation happens before the stub: still 400 for a missing parameter.
    let (status, _) = raw(format!("http://{addr}/release/details")).await;
    assert_eq!(status, 400);
}

/// Sends a raw GET and returns the headers and every body byte received before the
/// connection closed.
fn raw_get(addr: std::net::SocketAddr, path: &str) -> (String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    let _ = stream.read_to_end(&mut all);
    let split = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    (
        String::from_utf8_lossy(&all[..split]).into_owned(),
        all[split..].to_vec(),
    )
}

#[tokio::test]
async fn faults_really_happen() {
    let fake = Fake::builder()
        .download_bytes(100_000)
        .start()
        .await
        .unwrap();
    let c = fake.client().unwrap();
    // A partner user with a purchase, to have something to download.
    let (addr, base) = (fake.addr(), fake.base_url());
    for path in [
        "/user/create?userId=u1&country=GB",
        "/user/deliveritem?userId=u1&releaseId=1192901&country=GB&transactionId=t1&retailPrice=1",
    ] {
        assert_eq!(
            reqwest::get(format!("{base}{path}"))
                .await
                .unwrap()
                .status(),
            200,
            "{path}"
        );
    }
    let path = "/users/u1/downloads/purchases/9001?country=GB";

    fake.set_faults(Faults {
        cut_after_bytes: Some(1234),
        cut_count: Some(1),
        ..Faults::default()
    });
    let (headers, body) = tokio::task::spawn_blocking(move || raw_get(addr, path))
        .await
        .unwrap();
    assert!(headers.contains("content-length: 100000"), "{headers}");
    assert_eq!(
        body.len(),
        1234,
        "the connection closed after exactly 1234 body bytes"
    );
    let (_, body) = tokio::task::spawn_blocking(move || raw_get(addr, path))
        .await
        .unwrap();
    assert_eq!(body.len(), 100_000, "only one answer was to be cut");
    assert_eq!(
        body,
        sevendigital::server::fake::content::bytes(
            sevendigital::server::fake::content::seed("purchase-9001"),
            100_000
        )
    );

    fake.set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let err = c.get_all_tags().send().await.unwrap_err();
    assert_eq!((err.status(), err.code()), (Some(503), Some(9001)));

    fake.set_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    });
    let started = Instant::now();
    c.get_all_tags().send().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "latency was added"
    );
}

#[cfg(feature = "cli")]
#[test]
fn serve_prints_its_url_answers_and_stops_on_ctrl_c() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_sevendigital"))
        .args(["serve", "--port", "0", "--download-bytes", "10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let body = reqwest::blocking_get(&format!("{url}/tag"));
    assert!(body.contains("\"tags\""), "{body}");
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "clean exit on Ctrl-C: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(feature = "cli")]
mod reqwest {
    pub use ::reqwest::*;

    /// A GET from a plain thread (the serve test has no runtime).
    pub fn blocking_get(url: &str) -> String {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}

/// 7digital matches parameter names without regard to case (its Node SDK sends `releaseid`,
/// its C# SDK `releaseId`), and so does the fake, for query and form parameters alike.
#[tokio::test]
async fn parameter_names_match_in_any_case() {
    let fake = Fake::start().await.unwrap();
    let key = sevendigital::server::fake::DEFAULT_CONSUMER_KEY;
    let release_id = "1192901";
    let base = fake.base_url();
    let (camel_status, camel) = raw(format!(
        "{base}/release/details?releaseId={release_id}&oauth_consumer_key={key}"
    ))
    .await;
    let (lower_status, lower) = raw(format!(
        "{base}/release/details?releaseid={release_id}&oauth_consumer_key={key}"
    ))
    .await;
    assert_eq!((camel_status, lower_status), (200, 200), "{lower}");
    assert_eq!(camel, lower);
    assert_eq!(lower["status"], "ok");
    assert_eq!(lower["release"]["id"], 1192901);
    let (upper_status, _) = raw(format!(
        "{base}/release/details?RELEASEID={release_id}&oauth_consumer_key={key}"
    ))
    .await;
    assert_eq!(upper_status, 200);

    // A form body, as the Node SDK writes it.
    let response = reqwest::Client::new()
        .post(format!("{base}/user/signup?oauth_consumer_key={key}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("EMAIL=sdk%40example.com&password=pw&Country=GB")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["user"]["emailAddress"], "sdk@example.com");
}
