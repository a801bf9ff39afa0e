// `period` is one of day, week, month, year.
use sevendigital::models::Period;

fn main() {
    let client = sevendigital::Client::builder().consumer("KEY", "SECRET").build().unwrap();
    let _ = client.get_release_chart().period(Period::Fortnight);
}
