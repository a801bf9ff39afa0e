//! The download-store operations, described like the generated catalogue entries: path, method,
//! security scheme and parameters with their rules.
//!
//! All are signed two-legged (consumer key and secret). The state-changing ones (`user/create`,
//! `user/deliveritem`, `sales/refund/...`) are covered by [`NEVER_RETRY`](crate::catalogue::NEVER_RETRY),
//! so they are sent at most once per call whatever the client's retry policy.
//!
//! ```
//! use sevendigital::download_service::operations;
//!
//! assert!(!operations::LOG_SALE.safe_to_retry());
//! assert!(!operations::REFUND_RELEASE.safe_to_retry());
//! assert!(operations::PARTNER_LOCKER.safe_to_retry());
//! assert_eq!(operations::PARTNER_LOCKER.param("pageSize").unwrap().maximum, Some(50.0));
//! ```

use crate::catalogue::{Method, Operation, Param, ParamKind, ParamLocation};

const SECURITY: &[&str] = &["oauth1_two_legged"];

const USER_ID: Param = Param {
    name: "userId",
    required: true,
    description: "The partner's own identifier of the user (any string up to 255 characters; permanent).",
    min_length: Some(1),
    max_length: Some(255),
    example: Some("store-user-42"),
    ..Param::DEFAULT
};

const COUNTRY: Param = Param {
    name: "country",
    required: true,
    description: "ISO 3166-1 alpha-2 code of the country the user resides in (sent upper case).",
    min_length: Some(2),
    max_length: Some(2),
    example: Some("GB"),
    ..Param::DEFAULT
};

const RELEASE_ID: Param = Param {
    name: "releaseId",
    required: true,
    kind: ParamKind::Integer,
    description: "7digital release id.",
    example: Some("11700062"),
    ..Param::DEFAULT
};

const TRACK_ID: Param = Param {
    name: "trackId",
    kind: ParamKind::Integer,
    description: "7digital track id.",
    example: Some("123456"),
    ..Param::DEFAULT
};

const PURCHASE_ID: Param = Param {
    name: "purchaseId",
    required: true,
    kind: ParamKind::Integer,
    description: "7digital purchase id, as returned when the sale was logged.",
    example: Some("9001"),
    ..Param::DEFAULT
};

const FORMAT_ID: Param = Param {
    name: "formatId",
    required: true,
    kind: ParamKind::Integer,
    description: "7digital format id (from the locker item's `formatIds`).",
    example: Some("17"),
    ..Param::DEFAULT
};

/// `GET /user/create`: create a partner user identified by the partner's own id.
pub static CREATE_PARTNER_USER: Operation = Operation {
    id: "createPartnerUser",
    method: Method::Get,
    path: "/user/create",
    tags: &["User"],
    summary: "Create a download-store user",
    description: "Creates a user identified by the partner's own user id; 7digital stores no other personal data. Error 2003: the user already exists.",
    security: SECURITY,
    params: &[USER_ID, COUNTRY],
    body: None,
    success_status: 200,
    response_example: Some(r#"{"status":"ok","user":{"id":"store-user-42"}}"#),
};

/// `GET /user/deliveritem`: log a sale made by the partner's store. Never retried.
pub static LOG_SALE: Operation = Operation {
    id: "logSale",
    method: Method::Get,
    path: "/user/deliveritem",
    tags: &["User", "Sales"],
    summary: "Log a sale",
    description: "Logs a sale for the monthly rights-holders report and puts the item in the user's locker. Sent at most once: a retry would log a second sale.",
    security: SECURITY,
    params: &[
        USER_ID,
        RELEASE_ID,
        Param {
            description: "The track sold; without it, the whole release is sold.",
            ..TRACK_ID
        },
        COUNTRY,
        Param {
            name: "transactionId",
            required: true,
            description: "The partner's transaction id, stored with 7digital's purchase id.",
            min_length: Some(1),
            example: Some("tx-1"),
            ..Param::DEFAULT
        },
        Param {
            name: "emailAddress",
            description: "The user's email address.",
            format: Some("email"),
            ..Param::DEFAULT
        },
        Param {
            name: "packageId",
            kind: ParamKind::Integer,
            description: "The package of the item delivered (2 = standard).",
            default: Some("2"),
            ..Param::DEFAULT
        },
        Param {
            name: "retailPrice",
            required: true,
            kind: ParamKind::Number,
            description: "The price charged, as a decimal string: not negative, at most 2 decimal places, no commas (`7.99`, `1`, `0`).",
            minimum: Some(0.0),
            format: Some("decimal"),
            example: Some("7.99"),
            ..Param::DEFAULT
        },
        Param {
            name: "postCode",
            description: "The buyer's ZIP code (`12345` or `12345-6789`), only when the country is US (or a Canadian postal code when it is CA).",
            example: Some("10001"),
            ..Param::DEFAULT
        },
    ],
    body: None,
    success_status: 200,
    response_example: Some(
        r#"{"status":"ok","purchase":{"id":"9001","transactionId":"tx-1","purchaseDate":"2026-11-02T10:00:00Z"}}"#,
    ),
};

/// `GET /user/locker`: a partner user's locker (everything they bought), paged.
pub static PARTNER_LOCKER: Operation = Operation {
    id: "getPartnerLocker",
    method: Method::Get,
    path: "/user/locker",
    tags: &["User", "Downloads"],
    summary: "Get a download-store user's locker",
    description: "Every release and track the user bought, paged, optionally filtered and sorted.",
    security: SECURITY,
    params: &[
        USER_ID,
        COUNTRY,
        Param {
            name: "page",
            kind: ParamKind::Integer,
            description: "1-based page number.",
            minimum: Some(1.0),
            default: Some("1"),
            ..Param::DEFAULT
        },
        Param {
            name: "pageSize",
            kind: ParamKind::Integer,
            description: "Items per page.",
            minimum: Some(1.0),
            maximum: Some(50.0),
            default: Some("10"),
            ..Param::DEFAULT
        },
        Param {
            required: false,
            description: "Only this release.",
            ..RELEASE_ID
        },
        Param {
            description: "Only this track (with `releaseId`).",
            ..TRACK_ID
        },
        Param {
            required: false,
            description: "Only the items of this purchase.",
            ..PURCHASE_ID
        },
        Param {
            name: "sort",
            description: "`{column} {order}`.",
            enum_values: &[
                "releaseTitle asc",
                "releaseTitle desc",
                "purchaseDate asc",
                "purchaseDate desc",
                "artistName asc",
                "artistName desc",
            ],
            default: Some("releaseTitle asc"),
            ..Param::DEFAULT
        },
    ],
    body: None,
    success_status: 200,
    response_example: Some(
        r#"{"status":"ok","page":1,"pageSize":10,"totalItems":1,"items":[{"purchaseId":"9001","purchaseDate":"2026-11-02T10:00:00Z","transactionId":"tx-1","releaseId":"11700062","trackId":null,"formatIds":[17],"release":{"id":"11700062","title":"Abbey Road"},"track":null}]}"#,
    ),
};

/// `GET /sales/refund/release`: take a refunded release out of the sales report. Never retried.
pub static REFUND_RELEASE: Operation = Operation {
    id: "refundRelease",
    method: Method::Get,
    path: "/sales/refund/release",
    tags: &["Sales"],
    summary: "Refund a release",
    description: "Removes a sold release from the rights-holders report. Only before 00:00 UTC on the 4th day of the month after the sale. Errors 2001: sale not found; 2002: reporting period closed.",
    security: SECURITY,
    params: &[
        PURCHASE_ID,
        Param {
            description: "The release refunded.",
            ..RELEASE_ID
        },
        Param {
            description: "ISO 3166-1 alpha-2 code of the country the purchase was made in.",
            ..COUNTRY
        },
    ],
    body: None,
    success_status: 200,
    response_example: Some(r#"{"status":"ok"}"#),
};

/// `GET /sales/refund/track`: take a refunded track out of the sales report. Never retried.
pub static REFUND_TRACK: Operation = Operation {
    id: "refundTrack",
    method: Method::Get,
    path: "/sales/refund/track",
    tags: &["Sales"],
    summary: "Refund a track",
    description: "Removes a sold track from the rights-holders report. Only before 00:00 UTC on the 4th day of the month after the sale. Errors 2001: sale not found; 2002: reporting period closed.",
    security: SECURITY,
    params: &[
        PURCHASE_ID,
        Param {
            required: true,
            description: "The track refunded.",
            ..TRACK_ID
        },
    ],
    body: None,
    success_status: 200,
    response_example: Some(r#"{"status":"ok"}"#),
};

const PATH_USER_ID: Param = Param {
    location: ParamLocation::Path,
    ..USER_ID
};

/// `GET /users/{userId}/downloads/purchases/{purchaseId}` on the download host: every track of
/// a purchase as one ZIP file. Only ever turned into a signed URL.
pub static DOWNLOAD_PURCHASE: Operation = Operation {
    id: "downloadPurchaseZip",
    method: Method::Get,
    path: "/users/{userId}/downloads/purchases/{purchaseId}",
    tags: &["Downloads"],
    summary: "Download a purchase (ZIP)",
    description: "Every track of a purchase as one ZIP file. Error 2002: no license for the download.",
    security: SECURITY,
    params: &[
        PATH_USER_ID,
        Param {
            location: ParamLocation::Path,
            ..PURCHASE_ID
        },
        COUNTRY,
    ],
    body: None,
    success_status: 200,
    response_example: None,
};

/// `GET /users/{userId}/downloads/releases/{releaseId}` on the download host: every track of a
/// purchased release as one ZIP file. Only ever turned into a signed URL.
pub static DOWNLOAD_RELEASE: Operation = Operation {
    id: "downloadPurchasedReleaseZip",
    method: Method::Get,
    path: "/users/{userId}/downloads/releases/{releaseId}",
    tags: &["Downloads"],
    summary: "Download a purchased release (ZIP)",
    description: "Every track of a purchased release as one ZIP file. Error 2002: no license for the download.",
    security: SECURITY,
    params: &[
        PATH_USER_ID,
        Param {
            location: ParamLocation::Path,
            ..RELEASE_ID
        },
        FORMAT_ID,
        COUNTRY,
    ],
    body: None,
    success_status: 200,
    response_example: None,
};

/// `GET /users/{userId}/downloads/tracks/{trackId}` on the download host: one purchased track.
/// Only ever turned into a signed URL.
pub static DOWNLOAD_TRACK: Operation = Operation {
    id: "downloadPurchasedTrack",
    method: Method::Get,
    path: "/users/{userId}/downloads/tracks/{trackId}",
    tags: &["Downloads"],
    summary: "Download a purchased track",
    description: "One purchased track in the format asked for. Error 2002: no license for the download.",
    security: SECURITY,
    params: &[
        PATH_USER_ID,
        Param {
            location: ParamLocation::Path,
            required: true,
            ..TRACK_ID
        },
        Param {
            description: "The release the track appears on.",
            ..RELEASE_ID
        },
        FORMAT_ID,
        COUNTRY,
        Param {
            name: "errorUrl",
            description: "Where the user's browser is sent when the download fails.",
            format: Some("uri"),
            ..Param::DEFAULT
        },
    ],
    body: None,
    success_status: 200,
    response_example: None,
};

/// Every operation of the download service.
pub static OPERATIONS: &[&Operation] = &[
    &CREATE_PARTNER_USER,
    &LOG_SALE,
    &PARTNER_LOCKER,
    &REFUND_RELEASE,
    &REFUND_TRACK,
    &DOWNLOAD_PURCHASE,
    &DOWNLOAD_RELEASE,
    &DOWNLOAD_TRACK,
];

/// The operation whose id is `id`.
pub fn find(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().copied().find(|op| op.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::AuthLevel;

    #[test]
    fn all_two_legged_and_state_changes_never_retried() {
        for op in OPERATIONS {
            assert_eq!(op.auth_level(), AuthLevel::TwoLegged, "{}", op.id);
            assert!(
                crate::catalogue::find(op.id).is_none(),
                "{} clashes with a generated operation",
                op.id
            );
        }
        for op in [
            &CREATE_PARTNER_USER,
            &LOG_SALE,
            &REFUND_RELEASE,
            &REFUND_TRACK,
        ] {
            assert!(!op.safe_to_retry(), "{} must never be retried", op.id);
        }
        assert!(PARTNER_LOCKER.safe_to_retry());
        // Same path as the generated operation, so the same rule.
        let generated = crate::catalogue::find("deliverUserItem").map(|op| op.path);
        assert_eq!(generated, Some(LOG_SALE.path));
        assert_eq!(find("logSale").map(|op| op.path), Some("/user/deliveritem"));
    }
}
