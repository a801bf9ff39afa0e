//! What the download-service calls return, and the locker's sort order.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::models::{Release, Track};

/// A user created with [`Client::create_partner_user`](crate::Client::create_partner_user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerUser {
    /// The user's id: the partner's own `userId`.
    pub id: String,
}

/// A sale logged with [`Client::log_sale`](crate::Client::log_sale).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedSale {
    /// 7digital's purchase id: what downloads and refunds of this sale name.
    pub purchase_id: String,
    /// The partner's transaction id, as 7digital stored it.
    pub transaction_id: Option<String>,
    /// When 7digital logged the sale (RFC 3339, as the API sent it).
    pub purchase_date: Option<String>,
}

/// One page of a user's locker (see [`Client::partner_locker`](crate::Client::partner_locker)).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockerPage {
    /// The page number (from 1), as the API sent it.
    #[serde(default, deserialize_with = "opt_number")]
    pub page: Option<u32>,
    /// Items per page, as the API sent it.
    #[serde(default, deserialize_with = "opt_number")]
    pub page_size: Option<u32>,
    /// Items in the whole locker (every page), as the API sent it.
    #[serde(default, deserialize_with = "opt_number")]
    pub total_items: Option<u64>,
    /// The items of this page.
    #[serde(default, deserialize_with = "or_empty")]
    pub items: Vec<LockerItem>,
}

/// A release or track in a user's locker: one item of one purchase.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockerItem {
    /// 7digital's purchase id.
    #[serde(default, deserialize_with = "opt_id")]
    pub purchase_id: Option<String>,
    /// When the sale was logged (RFC 3339); what a refund's reporting period is counted from.
    #[serde(default)]
    pub purchase_date: Option<String>,
    /// The partner's transaction id of the sale.
    #[serde(default, deserialize_with = "opt_id")]
    pub transaction_id: Option<String>,
    /// The release bought, or the release of the track bought.
    #[serde(default, deserialize_with = "opt_id")]
    pub release_id: Option<String>,
    /// The track bought; `None` when the whole release was bought.
    #[serde(default, deserialize_with = "opt_id")]
    pub track_id: Option<String>,
    /// The formats the item can be downloaded in (`formatId` of a download URL).
    #[serde(default, deserialize_with = "format_ids")]
    pub format_ids: Vec<u32>,
    /// The release's details.
    #[serde(default)]
    pub release: Option<Release>,
    /// The track's details, for a track.
    #[serde(default)]
    pub track: Option<Track>,
}

/// What the locker can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// The release's title (the API's default, ascending).
    ReleaseTitle,
    /// When the item was bought.
    PurchaseDate,
    /// The artist's name.
    ArtistName,
}

impl SortColumn {
    /// The wire name (`purchaseDate`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortColumn::ReleaseTitle => "releaseTitle",
            SortColumn::PurchaseDate => "purchaseDate",
            SortColumn::ArtistName => "artistName",
        }
    }
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortOrder {
    /// Smallest first (`asc`).
    Asc,
    /// Largest (or most recent) first (`desc`).
    Desc,
}

impl SortOrder {
    /// The wire name (`asc`, `desc`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// The order of a locker's items, sent as `sort={column} {order}` (`purchaseDate desc`).
///
/// ```
/// use sevendigital::download_service::{LockerSort, SortColumn, SortOrder};
///
/// let newest_first = LockerSort::new(SortColumn::PurchaseDate, SortOrder::Desc);
/// assert_eq!(newest_first.to_string(), "purchaseDate desc");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LockerSort {
    /// What to sort by.
    pub column: SortColumn,
    /// Which way.
    pub order: SortOrder,
}

impl LockerSort {
    /// Sort by `column` in `order`.
    pub fn new(column: SortColumn, order: SortOrder) -> Self {
        LockerSort { column, order }
    }

    /// Reads the wire form `"{column} {order}"` (`purchaseDate desc`); the order defaults to
    /// ascending, and a column other than `purchaseDate` or `artistName` is `releaseTitle`
    /// (callers check the value against the listed ones first).
    pub fn from_wire(text: &str) -> Self {
        let (column, order) = text.split_once(' ').unwrap_or((text, "asc"));
        let column = match column {
            "purchaseDate" => SortColumn::PurchaseDate,
            "artistName" => SortColumn::ArtistName,
            _ => SortColumn::ReleaseTitle,
        };
        let order = if order == "desc" {
            SortOrder::Desc
        } else {
            SortOrder::Asc
        };
        LockerSort::new(column, order)
    }
}

impl fmt::Display for LockerSort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.column.as_str(), self.order.as_str())
    }
}

/// An id sent as a string or a number (7digital does both); `null` is `None`.
fn opt_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error as _;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(D::Error::custom(format!(
            "expected an id (string or number), got {other}"
        ))),
    }
}

/// A whole number sent as a number or a numeric string; `null` is `None`.
fn opt_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64> + std::str::FromStr,
{
    use serde::de::Error as _;
    let value = Option::<serde_json::Value>::deserialize(d)?;
    let number = match &value {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::Number(n)) => n.as_u64().and_then(|n| T::try_from(n).ok()),
        Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    match (number, value) {
        (Some(n), _) => Ok(Some(n)),
        (None, Some(v)) => Err(D::Error::custom(format!(
            "expected a non-negative whole number, got {v}"
        ))),
        (None, None) => Ok(None),
    }
}

/// A list where `null` means empty.
fn or_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Format ids: numbers or numeric strings; `null` is empty.
fn format_ids<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
    use serde::de::Error as _;
    let values = Option::<Vec<serde_json::Value>>::deserialize(d)?.unwrap_or_default();
    values
        .into_iter()
        .map(|v| {
            let n = match &v {
                serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                serde_json::Value::String(s) => s.trim().parse().ok(),
                _ => None,
            };
            n.ok_or_else(|| D::Error::custom(format!("expected a format id, got {v}")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locker_pages_decode_leniently() {
        let page: LockerPage = serde_json::from_str(
            r#"{"status":"ok","page":"2","pageSize":10,"totalItems":11,"items":[
                {"purchaseId":9001,"purchaseDate":"2026-11-02T10:00:00Z","transactionId":"tx-1",
                 "releaseId":"11700062","trackId":null,"formatIds":[17,"33"],
                 "release":{"id":"11700062","title":"Abbey Road","type":"a-new-type"},"track":null}]}"#,
        )
        .unwrap();
        assert_eq!(
            (page.page, page.page_size, page.total_items),
            (Some(2), Some(10), Some(11))
        );
        let item = &page.items[0];
        assert_eq!(item.purchase_id.as_deref(), Some("9001"));
        assert_eq!(item.track_id, None);
        assert_eq!(item.format_ids, vec![17, 33]);
        assert_eq!(
            item.release.as_ref().and_then(|r| r.title.as_deref()),
            Some("Abbey Road")
        );

        let empty: LockerPage = serde_json::from_str(r#"{"status":"ok","items":null}"#).unwrap();
        assert!(empty.items.is_empty());
        for bad in [
            r#"{"page":-1}"#,
            r#"{"totalItems":"many"}"#,
            r#"{"items":[{"formatIds":[-3]}]}"#,
            r#"{"items":[{"purchaseId":{}}]}"#,
            r#"{"items":{}}"#,
        ] {
            assert!(serde_json::from_str::<LockerPage>(bad).is_err(), "{bad}");
        }
    }
}
