//! Every tool that answers a typed document says what it looks like (MCP `outputSchema`), and
//! what it answers fits: each catalogue call the fake can answer is made through the gateway and
//! its answer checked against the tool's schema.

use serde_json::{Map, Value, json};
use sevendigital::gateway::{Gateway, Source, mcp, schema};
use sevendigital::server::fake::Fake;

/// Checks `value` against the subset of JSON Schema the generator writes (`type`, `properties`,
/// `required`, `items`, `additionalProperties`, `anyOf`, `$ref` into `defs`); the first
/// mismatch, with its JSON path.
fn check(value: &Value, schema: &Value, defs: &Map<String, Value>, at: &str) -> Result<(), String> {
    let Value::Object(rules) = schema else {
        return Ok(());
    };
    if let Some(Value::String(target)) = rules.get("$ref") {
        let name = target.trim_start_matches("#/$defs/");
        let def = defs
            .get(name)
            .ok_or(format!("{at}: no definition of {name}"))?;
        return check(value, def, defs, at);
    }
    if let Some(Value::Array(options)) = rules.get("anyOf") {
        return match options.iter().any(|o| check(value, o, defs, at).is_ok()) {
            true => Ok(()),
            false => Err(format!("{at}: {value} fits none of {options:?}")),
        };
    }
    let fits = match rules.get("type").and_then(Value::as_str) {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("null") => value.is_null(),
        Some(other) => return Err(format!("{at}: unknown type {other}")),
    };
    if !fits {
        return Err(format!("{at}: {value} is not a {}", rules["type"]));
    }
    if let Value::Object(map) = value {
        for name in rules
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or_default();
            if !map.contains_key(name) {
                return Err(format!("{at}: `{name}` is required"));
            }
        }
        let properties = rules.get("properties").and_then(Value::as_object);
        for (key, item) in map {
            match properties.and_then(|p| p.get(key)) {
                Some(rule) => check(item, rule, defs, &format!("{at}.{key}"))?,
                None => match rules.get("additionalProperties") {
                    Some(rule) => check(item, rule, defs, &format!("{at}.{key}"))?,
                    None => return Err(format!("{at}: `{key}` is not in the schema")),
                },
            }
        }
    }
    if let (Value::Array(items), Some(rule)) = (value, rules.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(item, rule, defs, &format!("{at}[{i}]"))?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_answers_fit_their_output_schemas() {
    let fake = Fake::builder()
        .user_token("tok", "tok-secret", "jane")
        .start()
        .await
        .unwrap();
    let gateway = Gateway::new(fake.client().unwrap(), true);
    // Every typed tool has an object schema; the files keep theirs.
    for tool in gateway.tools() {
        let declared = mcp::tool(tool).output_schema;
        match tool.source {
            Source::Spec => {
                let schema =
                    declared.unwrap_or_else(|| panic!("{} has no outputSchema", tool.name));
                assert_eq!(schema.get("type"), Some(&json!("object")), "{}", tool.name);
            }
            Source::Download => assert!(declared.is_some(), "{}", tool.name),
        }
    }
    // Calls whose answers come from the fake's catalogue, checked against the schema.
    let calls = [
        ("search-releases", json!({ "q": "wasting" })),
        ("get-release-details", json!({ "releaseId": "1192901" })),
        ("get-release-tracks", json!({ "releaseId": "1192901" })),
        ("get-artist-details", json!({ "artistId": "8293" })),
        ("get-artist-releases", json!({ "artistId": "8293" })),
        ("get-track-details", json!({ "trackId": "148" })),
        ("get-all-tags", json!({})),
        ("get-release-chart", json!({})),
        ("get-countries", json!({})),
        (
            "create-partner-user",
            json!({ "userId": "schema-1", "country": "GB" }),
        ),
        (
            "get-partner-locker",
            json!({ "userId": "schema-1", "country": "GB" }),
        ),
    ];
    let mut checked = 0;
    for (name, args) in calls {
        let tool = gateway.tool(name).unwrap();
        let schema = Value::Object(schema::output_schema(tool.op).unwrap());
        let defs = schema["$defs"].as_object().cloned().unwrap_or_default();
        let Value::Object(args) = args else {
            unreachable!()
        };
        let answer = gateway
            .call(name, args)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Err(why) = check(&answer, &schema, &defs, "$") {
            panic!("{name}: the answer does not fit its outputSchema: {why}");
        }
        checked += 1;
    }
    assert_eq!(checked, 11);

    // The checker itself refuses what does not fit.
    let schema =
        Value::Object(schema::output_schema(gateway.tool("get-all-tags").unwrap().op).unwrap());
    let defs = schema["$defs"].as_object().cloned().unwrap();
    assert!(
        check(&json!({ "status": "ok" }), &schema, &defs, "$").is_err(),
        "tags missing"
    );
    assert!(
        check(&json!({ "status": 1, "tags": {} }), &schema, &defs, "$").is_err(),
        "a number for a string"
    );
}
