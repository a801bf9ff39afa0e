// An enum-typed setter takes the enum; text is parsed explicitly (`"week".parse::<Period>()?`).
fn main() {
    let client = sevendigital::Client::builder().consumer("KEY", "SECRET").build().unwrap();
    let _ = client.get_release_chart().period("week");
}
