// `q` is required by the spec, so `search_releases` cannot be called without it.
fn main() {
    let client = sevendigital::Client::builder().consumer("KEY", "SECRET").build().unwrap();
    let _ = client.search_releases().country("GB");
}
