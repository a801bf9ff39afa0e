// `pageSize` is an integer in the spec.
fn main() {
    let client = sevendigital::Client::builder().consumer("KEY", "SECRET").build().unwrap();
    let _ = client.search_releases("beatles").page_size("20");
}
