//! `Client::from_env` (one test in its own binary: it changes the process environment).

use sevendigital::Client;

#[test]
fn from_env_reads_the_three_variables_and_names_a_missing_one() {
    // SAFETY: this test binary has this one test, so no other thread reads the environment.
    unsafe {
        std::env::remove_var("SEVENDIGITAL_CONSUMER_KEY");
        std::env::remove_var("SEVENDIGITAL_CONSUMER_SECRET");
        std::env::remove_var("SEVENDIGITAL_BASE_URL");
    }
    let err = Client::from_env().unwrap_err();
    assert!(
        err.to_string().contains("SEVENDIGITAL_CONSUMER_KEY"),
        "{err}"
    );

    unsafe { std::env::set_var("SEVENDIGITAL_CONSUMER_KEY", "key") };
    let err = Client::from_env().unwrap_err();
    assert!(
        err.to_string().contains("SEVENDIGITAL_CONSUMER_SECRET"),
        "{err}"
    );

    unsafe { std::env::set_var("SEVENDIGITAL_CONSUMER_SECRET", "secret") };
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url().as_str(), "https://api.7digital.com/1.2");

    unsafe { std::env::set_var("SEVENDIGITAL_BASE_URL", "http://127.0.0.1:9/1.2") };
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url().as_str(), "http://127.0.0.1:9/1.2");

    unsafe { std::env::set_var("SEVENDIGITAL_BASE_URL", "::") };
    let err = Client::from_env().unwrap_err();
    assert!(err.to_string().contains("`::`"), "{err}");
}
