//! Decoding 7digital's JSON the way 7digital writes it.
//!
//! 7digital serves two JSON dialects. The current one sends typed values (`"id": 809798`,
//! `"explicitContent": false`, lists as arrays). The older one, converted from the XML answer,
//! sends every scalar as a string (`"id": "188863"`, `"trackNumber": "5"`), a list of one item
//! as that item alone (`"lockerTrack": {...}` instead of `[{...}]`), a list wrapped in an object
//! named after its items (`"packages": {"package": [...]}`), and `""` for an absent value.
//! Every field of the generated models decodes through this module, so both dialects give the
//! same typed value:
//!
//! - numbers and booleans are accepted as JSON numbers and booleans or as strings
//!   (`"5"`, `"3.11"`, `"true"`); a string field accepts a number or boolean and keeps its text;
//! - where a list is declared, a single object or value is read as a list of one, and `null`
//!   or `""` as an empty list; lists the document marks as XML-wrapped also accept
//!   `{"item": [...]}` or `{"item": {...}}`;
//! - an optional field that is `null` or `""` is absent (`None`);
//! - enums match without regard to ASCII case and keep unknown values (generated `From<&str>`).
//!
//! Serialising a decoded value gives the canonical typed form (numbers as numbers). A value of
//! the wrong shape (an object where a number is declared, a missing required field) is still an
//! error, which the client reports with its JSON path.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};

/// A type that decodes leniently (see the [module documentation](self)).
///
/// The default method decodes strictly, through the type's own `Deserialize` (right for
/// generated structs, whose fields are each lenient); scalars, lists, maps and options
/// override it.
pub trait Lenient: DeserializeOwned {
    /// Decodes a value of this type from `deserializer`, accepting 7digital's variants.
    ///
    /// # Errors
    ///
    /// The deserializer's error when the value cannot be read as this type.
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::deserialize(deserializer)
    }
}

/// For `#[serde(deserialize_with = ...)]` on a required field.
///
/// # Errors
///
/// As [`Lenient::lenient`].
pub fn required<'de, D: Deserializer<'de>, T: Lenient>(deserializer: D) -> Result<T, D::Error> {
    T::lenient(deserializer)
}

/// For `#[serde(default, deserialize_with = ...)]` on an optional field: `null` and `""` are
/// `None`.
///
/// # Errors
///
/// As [`Lenient::lenient`].
pub fn optional<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::lenient(deserializer)
}

/// For a required list that XML wraps in an element: also accepts `{item: [...]}` and
/// `{item: {...}}`.
///
/// # Errors
///
/// As [`Lenient::lenient`].
pub fn wrapped_list<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
    item: &'static str,
) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_any(ListVisitor::<T> {
        wrapped: Some(item),
        marker: PhantomData,
    })
}

/// [`wrapped_list`] for an optional field: `null` and `""` are `None`.
///
/// # Errors
///
/// As [`Lenient::lenient`].
pub fn optional_wrapped_list<'de, D: Deserializer<'de>, T: Lenient>(
    deserializer: D,
    item: &'static str,
) -> Result<Option<Vec<T>>, D::Error> {
    deserializer.deserialize_any(OptionVisitor {
        seed: Wrapped::<T>(item, PhantomData),
    })
}

// ---------------------------------------------------------------------------------------------
// Scalars.

/// Accepts a string, a number or a boolean, keeping the text.
struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }
}

impl Lenient for String {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringVisitor)
    }
}

/// Accepts a boolean, `"true"`/`"false"` (any case, trimmed), `1`/`0` or `"1"`/`"0"`.
struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean (or \"true\"/\"false\")")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        let t = v.trim();
        if t.eq_ignore_ascii_case("true") || t == "1" {
            Ok(true)
        } else if t.eq_ignore_ascii_case("false") || t == "0" {
            Ok(false)
        } else {
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }
}

impl Lenient for bool {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BoolVisitor)
    }
}

/// Accepts a JSON number or a string holding one, for every integer type.
struct IntVisitor<T>(PhantomData<T>);

impl<T: TryFrom<i64> + TryFrom<u64>> Visitor<'_> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an integer (or a string holding one) that fits {}",
            std::any::type_name::<T>()
        )
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        // `5.0` is an integer written as a float; `5.5` is not.
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            self.visit_i64(v as i64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        let t = v.trim();
        if let Ok(i) = t.parse::<i64>() {
            return self.visit_i64(i);
        }
        if let Ok(u) = t.parse::<u64>() {
            return self.visit_u64(u);
        }
        match t.parse::<f64>() {
            Ok(f) if f.is_finite() => self.visit_f64(f),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        impl Lenient for $t {
            fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(IntVisitor::<$t>(PhantomData))
            }
        }
    )*};
}
lenient_int!(i32, i64, u32, u64);

/// Accepts a JSON number or a string holding one.
struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number (or a string holding one)")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(f),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl Lenient for f64 {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl Lenient for serde_json::Value {}

// ---------------------------------------------------------------------------------------------
// Options, lists and maps.

/// Decodes one `T` leniently, as a seed (for list items and map values).
struct Seed<T>(PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::lenient(deserializer)
    }
}

/// A seed for a list, optionally XML-wrapped.
struct Wrapped<T>(&'static str, PhantomData<T>);

impl<'de, T: Lenient> DeserializeSeed<'de> for Wrapped<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        wrapped_list(deserializer, self.0)
    }
}

/// `null`, unit and `""` are `None`; anything else is handed to the seed.
struct OptionVisitor<S> {
    seed: S,
}

macro_rules! forward_scalar {
    ($($method:ident($t:ty)),*) => {$(
        fn $method<E: de::Error>(self, v: $t) -> Result<Self::Value, E> {
            self.seed.deserialize(v.into_deserializer()).map(Some)
        }
    )*};
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for OptionVisitor<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, null or \"\"")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        self.seed.deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        self.seed.deserialize(v.into_deserializer()).map(Some)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        self.visit_str(v)
    }
    forward_scalar!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.seed
            .deserialize(de::value::SeqAccessDeserializer::new(seq))
            .map(Some)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.seed
            .deserialize(de::value::MapAccessDeserializer::new(map))
            .map(Some)
    }
}

impl<T: Lenient> Lenient for Option<T> {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OptionVisitor {
            seed: Seed::<T>(PhantomData),
        })
    }
}

/// A list, a single item (a list of one), `null` or `""` (empty), or, when `wrapped` names the
/// item element, `{item: list-or-single}`.
struct ListVisitor<T> {
    wrapped: Option<&'static str>,
    marker: PhantomData<T>,
}

impl<T> ListVisitor<T> {
    fn one<'de, E: de::Error, D: Deserializer<'de, Error = E>>(d: D) -> Result<Vec<T>, E>
    where
        T: Lenient,
    {
        T::lenient(d).map(|item| vec![item])
    }
}

macro_rules! single_scalar {
    ($($method:ident($t:ty)),*) => {$(
        fn $method<E: de::Error>(self, v: $t) -> Result<Vec<T>, E> {
            Self::one(v.into_deserializer())
        }
    )*};
}

impl<'de, T: Lenient> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list (or a single item)")
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.is_empty() {
            return Ok(Vec::new());
        }
        Self::one(v.into_deserializer())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Vec<T>, E> {
        self.visit_str(&v)
    }
    single_scalar!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64)
    );
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
            items.push(item);
        }
        Ok(items)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let Some(item) = self.wrapped else {
            return Self::one(de::value::MapAccessDeserializer::new(map));
        };
        // `{item: [...]}` (or `{}`), or else a single item whose first key we have read.
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Vec::new());
        };
        if first == item {
            let items = map.next_value_seed(Wrapped::<T>(item, PhantomData))?;
            while map
                .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                .is_some()
            {}
            return Ok(items);
        }
        let mut object = serde_json::Map::new();
        object.insert(first, map.next_value::<serde_json::Value>()?);
        while let Some((key, value)) = map.next_entry::<String, serde_json::Value>()? {
            object.insert(key, value);
        }
        T::lenient(serde_json::Value::Object(object))
            .map(|one| vec![one])
            .map_err(de::Error::custom)
    }
}

/// A boxed value (a recursive field of a generated type) decodes as the value itself.
impl<T: Lenient> Lenient for Box<T> {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::lenient(deserializer).map(Box::new)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ListVisitor::<T> {
            wrapped: None,
            marker: PhantomData,
        })
    }
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: Lenient> Visitor<'de> for MapVisitor<T> {
    type Value = BTreeMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed::<T>(PhantomData))?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn lenient<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor::<T>(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Item {
        #[serde(deserialize_with = "required")]
        id: i64,
        #[serde(default, deserialize_with = "optional")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "optional")]
        score: Option<f64>,
        #[serde(default, deserialize_with = "optional")]
        name: Option<String>,
    }
    impl Lenient for Item {}

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "optional")]
        items: Option<Vec<Item>>,
        #[serde(default, deserialize_with = "packages")]
        packages: Option<Vec<Item>>,
    }
    fn packages<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Item>>, D::Error> {
        optional_wrapped_list(d, "package")
    }

    fn item(id: i64) -> Item {
        Item {
            id,
            flag: None,
            score: None,
            name: None,
        }
    }

    #[test]
    fn both_dialects_give_one_value() {
        let typed: Item =
            serde_json::from_value(json!({"id": 5, "flag": false, "score": 3.11, "name": 7}))
                .unwrap();
        let strings: Item = serde_json::from_value(
            json!({"id": "5", "flag": "false", "score": "3.11", "name": "7"}),
        )
        .unwrap();
        assert_eq!(typed, strings);
        assert_eq!(
            serde_json::to_value(&typed).unwrap(),
            json!({"id": 5, "flag": false, "score": 3.11, "name": "7"})
        );
    }

    #[test]
    fn empty_and_null_are_absent() {
        let v: Item =
            serde_json::from_value(json!({"id": 1, "flag": "", "score": null, "name": ""}))
                .unwrap();
        assert_eq!(v, item(1));
    }

    #[test]
    fn a_single_object_is_a_list_of_one() {
        let one: Holder = serde_json::from_value(json!({"items": {"id": "1"}})).unwrap();
        assert_eq!(one.items, Some(vec![item(1)]));
        let many: Holder =
            serde_json::from_value(json!({"items": [{"id": 1}, {"id": 2}]})).unwrap();
        assert_eq!(many.items, Some(vec![item(1), item(2)]));
        let empty: Holder = serde_json::from_value(json!({"items": ""})).unwrap();
        assert_eq!(empty.items, None);
    }

    #[test]
    fn wrapped_lists_accept_both_forms() {
        for (input, expected) in [
            (json!([{"id": 1}, {"id": 2}]), vec![item(1), item(2)]),
            (
                json!({"package": [{"id": 1}, {"id": 2}]}),
                vec![item(1), item(2)],
            ),
            (json!({"package": {"id": "1"}}), vec![item(1)]),
            (json!({"id": "3"}), vec![item(3)]),
            (json!({}), vec![]),
        ] {
            let h: Holder = serde_json::from_value(json!({ "packages": input })).unwrap();
            assert_eq!(h.packages, Some(expected));
        }
    }

    #[test]
    fn wrong_shapes_are_errors() {
        assert!(serde_json::from_value::<Item>(json!({"id": {"x": 1}})).is_err());
        assert!(serde_json::from_value::<Item>(json!({"id": "abc"})).is_err());
        assert!(serde_json::from_value::<Item>(json!({"id": 1.5})).is_err());
        assert!(serde_json::from_value::<Item>(json!({"flag": true})).is_err());
        assert!(serde_json::from_value::<Item>(json!({"id": 1, "flag": "maybe"})).is_err());
        assert!(serde_json::from_value::<Item>(json!({"id": "99999999999999999999"})).is_err());
    }

    #[test]
    fn integers_fit_their_type() {
        assert_eq!(i32::lenient(json!("12")).unwrap(), 12);
        assert!(i32::lenient(json!(5_000_000_000_i64)).is_err());
        assert_eq!(u64::lenient(json!(" 7 ")).unwrap(), 7);
        assert_eq!(i64::lenient(json!(2.0)).unwrap(), 2);
        assert!(bool::lenient(json!(2)).is_err());
        assert_eq!(String::lenient(json!(true)).unwrap(), "true");
    }
}

/// The error of parsing a string enum of the API (`"week".parse::<Period>()`) from text that is
/// none of the values the API document lists. Decoding an answer never fails this way: an
/// unlisted value there becomes the enum's catch-all variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    type_name: &'static str,
    value: String,
    expected: &'static [&'static str],
}

impl UnknownValue {
    /// The error for `value`, which is none of `expected` (the values of enum `type_name`).
    pub fn new(type_name: &'static str, value: String, expected: &'static [&'static str]) -> Self {
        Self {
            type_name,
            value,
            expected,
        }
    }

    /// The text that did not parse.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The values that would have parsed.
    pub fn expected(&self) -> &'static [&'static str] {
        self.expected
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: String = crate::text::escape_controls(&self.value)
            .chars()
            .take(100)
            .collect();
        write!(
            f,
            "`{value}` is not a {}: expected one of {}",
            self.type_name,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownValue {}
