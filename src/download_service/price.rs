//! [`Price`]: a retail price as 7digital wants it, checked once when it is made.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;

/// How much of a rejected value an error message repeats.
const SHOWN_CHARS: usize = 40;

/// A rejected value, quoted and shortened for an error message.
pub(crate) fn shown(value: &str) -> String {
    format!("`{}`", crate::text::escape_cut(value, SHOWN_CHARS))
}

/// A retail price as 7digital wants it: a decimal string, not negative, with at most two
/// decimal places and no commas (`"7.99"`, `"1"`, `"0.5"`, `"0"` for a free item). Kept as the
/// text given, never converted to a float.
///
/// ```
/// use sevendigital::download_service::Price;
///
/// let price: Price = "7.99".parse()?;
/// assert_eq!(price.to_string(), "7.99");
/// assert_eq!(Price::from_minor_units(799), price);
/// for bad in ["7,99", "-1", "1.999", "1e3", "NaN", "", " 1", ".5"] {
///     assert!(Price::parse(bad).is_err(), "{bad}");
/// }
/// # Ok::<(), sevendigital::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Price(String);

impl Price {
    /// Parses a price.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for `retailPrice`, saying what is wrong.
    pub fn parse(value: &str) -> Result<Price, Error> {
        let fail = |message: String| Err(Error::invalid_input("retailPrice", message));
        if value.is_empty() {
            return fail("must not be empty (use `0` for a free item)".into());
        }
        if value.contains(',') {
            return fail(format!(
                "must not contain commas: write the decimal part after a dot, like `7.99`; got {}",
                shown(value)
            ));
        }
        if value.starts_with('-') {
            return fail(format!("must not be negative, got {}", shown(value)));
        }
        let (whole, fraction) = match value.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (value, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !fraction.is_none_or(digits) {
            return fail(format!(
                "must be a decimal number such as `7.99`, `1` or `0.5`, got {}",
                shown(value)
            ));
        }
        if fraction.is_some_and(|f| f.len() > 2) {
            return fail(format!(
                "must have at most 2 decimal places, got {}",
                shown(value)
            ));
        }
        Ok(Price(value.to_string()))
    }

    /// The price of `units` hundredths (cents, pence): `799` is `7.99`.
    pub fn from_minor_units(units: u64) -> Price {
        Price(format!("{}.{:02}", units / 100, units % 100))
    }

    /// The price as sent (`7.99`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Price {
    type Err = Error;

    fn from_str(value: &str) -> Result<Price, Error> {
        Price::parse(value)
    }
}

impl TryFrom<&str> for Price {
    type Error = Error;

    fn try_from(value: &str) -> Result<Price, Error> {
        Price::parse(value)
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Price> for String {
    /// The price as sent (`retailPrice=7.99`).
    fn from(price: Price) -> String {
        price.0
    }
}
