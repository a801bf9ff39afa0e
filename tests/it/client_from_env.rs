//! `Client::from_env` reads the three `SEVENDIGITAL_*` variables and names a missing one (run
//! again alone in a child process of this binary: it changes the process environment).

use sevendigital::Client;

use crate::common;

#[test]
fn from_env_reads_the_three_variables_and_names_a_missing_one() {
    if !common::alone_in_a_child_process(
        "client_from_env::from_env_reads_the_three_variables_and_names_a_missing_one",
    ) {
        return;
    }
    // SAFETY: this process runs this one test (`alone_in_a_child_process`), so no other thread
    // reads the environment.
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
