//! String enums: setters take the enum, and parsing text is explicit and fallible.

use sevendigital::models::Period;

#[test]
fn parsing_is_explicit_and_fallible() {
    assert_eq!("week".parse::<Period>(), Ok(Period::Week));
    assert_eq!("WEEK".parse::<Period>(), Ok(Period::Week), "any ASCII case");
    let error = "fortnight".parse::<Period>().unwrap_err();
    assert_eq!(error.value(), "fortnight");
    assert_eq!(error.expected(), Period::VALUES);
    assert_eq!(
        error.to_string(),
        "`fortnight` is not a Period: expected one of day, week, month, year"
    );
    // The catch-all stays for what 7digital sends, built explicitly or decoded.
    let decoded: Period = serde_json::from_str("\"fortnight\"").unwrap();
    assert_eq!(decoded, Period::Unknown("fortnight".into()));
}

#[test]
fn setters_take_the_enum() -> Result<(), Box<dyn std::error::Error>> {
    let client = sevendigital::Client::builder()
        .consumer("KEY", "SECRET")
        .build()?;
    let period: Period = "month".parse()?;
    let url = client
        .get_release_chart()
        .period(period)
        .presigned_url(None)?;
    assert!(url.contains("period=month"), "{url}");
    Ok(())
}
