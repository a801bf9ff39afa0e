// The call shape from the README compiles (nothing is sent: no request is awaited here).
use sevendigital::models::{Period, SearchResponse};

#[allow(dead_code)]
async fn search(client: &sevendigital::Client) -> Result<SearchResponse, sevendigital::Error> {
    client.search_releases("beatles").country("GB").page_size(20).send().await
}

#[allow(dead_code)]
async fn locker(client: &sevendigital::Client) -> Result<sevendigital::models::LockerResponse, sevendigital::Error> {
    client.with_user_token("TOKEN", "TOKEN_SECRET").get_user_locker().page(2).send().await
}

fn main() -> Result<(), sevendigital::Error> {
    let client = sevendigital::Client::builder()
        .base_url("https://api.7digital.com/1.2")
        .consumer("KEY", "SECRET")
        .build()?;
    let request = client.get_release_chart().period(Period::Week).period(Period::from_wire("fortnight"));
    let _ = format!("{request:?}");
    let _ = client.remove_basket_item(String::from("basket"), "item");
    Ok(())
}
