//! The OAuth 1.0a token flow a store runs to act for a customer: a request token, the page the
//! customer authorises it on, the access token, then a 3-legged call with it. Against a fake
//! 7digital started in this process, which plays the customer's part too.
//!
//! ```sh
//! cargo run --example oauth_token_flow
//! ```

use sevendigital::server::fake::Fake;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = Fake::builder().verify_signatures(true).start().await?;
    let client = fake.client()?;

    let callback = "https://store.example/7digital/callback";
    let request_token = client.request_token(Some(callback)).await?;
    // A store redirects the customer's browser here; 7digital sends them back to the callback
    // with `oauth_verifier` once they have signed in and agreed.
    let page = client.authorise_url(&request_token, Some(callback));
    println!("1. request token issued; the customer authorises it at\n   {page}");

    // The fake accepts any verifier: it stands in for the customer's consent.
    let verifier = "from-the-callback";
    let access = client.access_token(&request_token, Some(verifier)).await?;
    println!("2. access token issued (its secret stays inside the client: {access:?})");

    let user = client.with_access_token(&access);
    let locker = user.get_user_locker().page(1).send().await?;
    let releases = locker
        .locker
        .locker_releases
        .map(|page| page.total_items)
        .unwrap_or_default();
    println!(
        "3. a 3-legged call signed with it: the customer's locker holds {releases} release(s)"
    );
    Ok(())
}
