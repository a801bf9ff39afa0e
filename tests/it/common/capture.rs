//! A `tracing` subscriber that keeps every span (with the fields recorded on it) and every
//! event as a line of text, for tests that check what the crate traces.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// What was traced: one entry per span (its name and every field recorded on it, updated as
/// values are recorded) and one per event (its fields, and the name of the span it is in).
#[derive(Debug, Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<String>>>);

impl Captured {
    /// Everything traced so far, one line each.
    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Everything traced, as one text.
    pub fn text(&self) -> String {
        self.lines().join("\n")
    }

    /// The lines of spans named `name`.
    pub fn spans(&self, name: &str) -> Vec<String> {
        let prefix = format!("span {name} ");
        self.lines()
            .into_iter()
            .filter(|l| l.starts_with(&prefix))
            .collect()
    }

    /// The lines of events whose message is `message`.
    pub fn events(&self, message: &str) -> Vec<String> {
        let needle = format!("message={message}");
        self.lines()
            .into_iter()
            .filter(|l| l.starts_with("event ") && l.contains(&needle))
            .collect()
    }
}

/// Installs a capturing subscriber for the current thread until the guard is dropped (use a
/// current-thread runtime, the default of `#[tokio::test]`).
pub fn install() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::registry().with(Capture(captured.clone()));
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

struct Capture(Captured);

/// The index of a span's line in [`Captured`], kept in the span's extensions.
struct Line(usize);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Fields(String::new());
        attrs.record(&mut fields);
        let mut lines = self.0.0.lock().unwrap();
        lines.push(format!(
            "span {} {}",
            attrs.metadata().name(),
            fields.0.trim()
        ));
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(Line(lines.len() - 1));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        if let Some(span) = ctx.span(id)
            && let Some(Line(index)) = span.extensions().get::<Line>()
        {
            self.0.0.lock().unwrap()[*index].push_str(&fields.0);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        let within = ctx
            .event_span(event)
            .map_or_else(|| "-".to_string(), |s| s.name().to_string());
        self.0.0.lock().unwrap().push(format!(
            "event {} in={within}{}",
            event.metadata().level(),
            fields.0
        ));
    }
}
