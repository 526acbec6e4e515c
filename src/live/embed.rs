//! Embedding: the `?embed=1` options, and the postMessage commands and state events a host page exchanges.
//!
//! A docs page drops Ripple in an `<iframe>` and may drive it. Commands are
//! accepted only from the page's own origin and the origins listed in `allow`,
//! so another frame or window cannot play, seek or break the view. This module
//! must not know about the browser: the UI hands it the message as JSON text and
//! the sender's origin, and posts what it returns.

use super::share::{ShareError, error, query_pairs};
use crate::sim::scenario::{Fault, read_value};
use crate::sim::{Action, Problem};
use serde_json::{Value, json};

/// The query parameters that shape an embed (the rest describe the view, as in a share link).
pub const EMBED_PARAMS: [&str; 5] = ["embed", "panels", "controls", "autoplay", "allow"];

/// `query` without the embed parameters, for the "open full app" link; the view's own
/// parameters are kept exactly as written.
pub fn without_embed_params(query: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            let key = pair.split_once('=').map_or(*pair, |(key, _)| key);
            !pair.is_empty() && !EMBED_PARAMS.contains(&key)
        })
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

/// Most origins an embed may allow.
pub const MAX_ALLOWED_ORIGINS: usize = 16;

/// Which parts an embedded view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts {
    pub sync: bool,
    pub event: bool,
    pub charts: bool,
}

/// Which controls an embedded view's play bar has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BarControls {
    pub play: bool,
    pub timeline: bool,
    pub speed: bool,
}

/// What the URL asks of an embedded view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedOptions {
    /// `embed=1`: the compact layout.
    pub embed: bool,
    /// `panels=sync,event,charts`
    pub parts: Parts,
    /// `controls=play,timeline,speed`
    pub controls: BarControls,
    /// `autoplay=1`
    pub autoplay: bool,
    /// `allow=https://docs.example.com,…`: origins besides the page's own that may send commands.
    pub allow: Vec<String>,
}

impl Default for EmbedOptions {
    fn default() -> Self {
        EmbedOptions {
            embed: false,
            parts: Parts {
                sync: true,
                event: true,
                charts: false,
            },
            controls: BarControls {
                play: true,
                timeline: true,
                speed: false,
            },
            autoplay: false,
            allow: Vec::new(),
        }
    }
}

fn flag(param: &str, value: &str) -> Result<bool, ShareError> {
    match value {
        "1" | "true" | "" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(error(
            param,
            Problem::NotOneOrZero {
                got: value.to_string(),
            },
        )),
    }
}

/// The words of a comma list, each checked against `known`.
fn words<'v>(param: &str, value: &'v str, known: &[&str]) -> Result<Vec<&'v str>, ShareError> {
    let words: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err(error(
            param,
            Problem::NamesNothing {
                known: known.join(", "),
            },
        ));
    }
    for word in &words {
        if !known.contains(word) {
            return Err(error(
                param,
                Problem::NotOneOf {
                    got: word.to_string(),
                    known: known.join(", "),
                },
            ));
        }
    }
    Ok(words)
}

/// `scheme://host[:port]` and nothing more, as browsers report `MessageEvent.origin`.
fn is_origin(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    let host_ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    matches!(scheme, "http" | "https") && host_ok
}

impl EmbedOptions {
    /// Reads the embed options from a query string; other parameters are left to the share link.
    pub fn decode(query: &str) -> Result<EmbedOptions, ShareError> {
        let mut options = EmbedOptions::default();
        for (key, value) in query_pairs(query)? {
            match key.as_str() {
                "embed" => options.embed = flag("embed", &value)?,
                "autoplay" => options.autoplay = flag("autoplay", &value)?,
                "panels" => {
                    let parts = words("panels", &value, &["sync", "event", "charts"])?;
                    options.parts = Parts {
                        sync: parts.contains(&"sync"),
                        event: parts.contains(&"event"),
                        charts: parts.contains(&"charts"),
                    };
                }
                "controls" => {
                    let controls = words("controls", &value, &["play", "timeline", "speed"])?;
                    options.controls = BarControls {
                        play: controls.contains(&"play"),
                        timeline: controls.contains(&"timeline"),
                        speed: controls.contains(&"speed"),
                    };
                }
                "allow" => {
                    let origins: Vec<String> = value
                        .split(',')
                        .map(|o| o.trim().trim_end_matches('/').to_string())
                        .filter(|o| !o.is_empty())
                        .collect();
                    if let Some(bad) = origins.iter().find(|o| !is_origin(o)) {
                        return Err(error("allow", Problem::NotAnOrigin { got: bad.clone() }));
                    }
                    if origins.len() > MAX_ALLOWED_ORIGINS {
                        return Err(error(
                            "allow",
                            Problem::too_many(MAX_ALLOWED_ORIGINS, origins.len()),
                        ));
                    }
                    options.allow = origins;
                }
                _ => {}
            }
        }
        Ok(options)
    }

    /// Whether a message from `origin` may drive a page served from `own_origin`.
    pub fn allows(&self, origin: &str, own_origin: &str) -> bool {
        origin == own_origin || self.allow.iter().any(|a| a == origin)
    }
}

/// What a host page may ask.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Play,
    Pause,
    /// Move the playhead to this simulated time.
    Seek {
        t_us: u64,
    },
    /// Apply an action to both worlds now (its `at_ms` is ignored).
    Inject(Box<Action>),
    /// Reply with the state, changing nothing.
    State,
}

/// A refused message: what was wrong, in English, for the host developer's console.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandError {
    pub field: String,
    pub message: String,
}

fn refuse(field: &str, problem: Problem) -> CommandError {
    CommandError {
        field: field.to_string(),
        message: problem.to_string(),
    }
}

/// The `type` every message carries, and what Ripple's own messages start with.
pub const PREFIX: &str = "ripple:";

impl Command {
    /// Reads `{"type": "ripple:seek", "t": 12.5}` and the like; None for messages not meant for Ripple.
    pub fn from_json(text: &str) -> Option<Result<Command, CommandError>> {
        let value: Value = serde_json::from_str(text).ok()?;
        let kind = value
            .get("type")?
            .as_str()?
            .strip_prefix(PREFIX)?
            .to_string();
        Some(Command::from_value(&kind, &value))
    }

    fn from_value(kind: &str, value: &Value) -> Result<Command, CommandError> {
        match kind {
            "play" => Ok(Command::Play),
            "pause" => Ok(Command::Pause),
            "state" => Ok(Command::State),
            "seek" => {
                let t = value
                    .get("t")
                    .and_then(Value::as_f64)
                    .filter(|t| t.is_finite() && *t >= 0.0 && *t <= 1.0e9)
                    .ok_or_else(|| {
                        refuse(
                            "t",
                            Problem::NotSeconds {
                                got: value.get("t").map(Value::to_string).unwrap_or_default(),
                            },
                        )
                    })?;
                Ok(Command::Seek {
                    t_us: (t * 1e6).round() as u64,
                })
            }
            "inject" => {
                let mut action = value
                    .get("action")
                    .cloned()
                    .ok_or_else(|| refuse("action", Problem::ActionMissing {}))?;
                if let Some(object) = action.as_object_mut() {
                    object.entry("at_ms").or_insert(json!(0.0));
                }
                let fault: Fault = read_value(action).map_err(|e| {
                    let e = e.within("action", ".");
                    refuse(&e.field, e.problem)
                })?;
                Ok(Command::Inject(Box::new(fault.action)))
            }
            other => Err(refuse(
                "type",
                Problem::NotACommand {
                    got: format!("{PREFIX}{other}"),
                },
            )),
        }
    }
}

/// The state a host page is told about after each change.
#[derive(Clone, Debug, PartialEq)]
pub struct StateEvent {
    pub playing: bool,
    pub t_us: u64,
    pub end_us: u64,
    pub trace_hash: String,
    pub scenario: String,
    pub branch: u32,
    pub sync: WorldCounts,
    pub event: WorldCounts,
}

/// What one world has done so far, as the host page is told it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct WorldCounts {
    pub requests: u64,
    pub failed: u64,
    /// Effects lost.
    pub lost: u64,
    /// Effects done more than once.
    pub duplicated: u64,
}

impl WorldCounts {
    pub fn of(report: &crate::sim::WorldReport) -> WorldCounts {
        WorldCounts {
            requests: report.requests,
            failed: report.failed,
            lost: report.effects.lost,
            duplicated: report.effects.duplicated,
        }
    }
}

impl StateEvent {
    /// The state as a message: `{"type": "ripple:state", …}`.
    pub fn to_json(&self) -> String {
        json!({
            "type": "ripple:state",
            "playing": self.playing,
            "t": self.t_us as f64 / 1e6,
            "end": self.end_us as f64 / 1e6,
            "trace_hash": self.trace_hash,
            "scenario": self.scenario,
            "branch": self.branch,
            "sync": self.sync,
            "event": self.event,
        })
        .to_string()
    }
}

/// A refusal as a message: `{"type": "ripple:error", "field": …, "message": …}`.
pub fn error_json(error: &CommandError) -> String {
    json!({ "type": "ripple:error", "field": error.field, "message": error.message }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::ActionKind;

    #[test]
    fn embed_options_read_panels_controls_autoplay_and_origins() {
        let options = EmbedOptions::decode(
            "?preset=killed-consumer&embed=1&panels=event,charts&controls=play&autoplay=1&allow=http://127.0.0.1:9000,https://docs.example.com/",
        )
        .unwrap();
        assert!(options.embed && options.autoplay);
        assert_eq!(
            options.parts,
            Parts {
                sync: false,
                event: true,
                charts: true
            }
        );
        assert!(options.controls.play && !options.controls.timeline);
        assert!(options.allows("https://docs.example.com", "http://127.0.0.1:8080"));
        assert!(options.allows("http://127.0.0.1:8080", "http://127.0.0.1:8080"));
        assert!(!options.allows("http://127.0.0.1:9001", "http://127.0.0.1:8080"));
        assert!(!options.allows("null", "http://127.0.0.1:8080"));
        assert!(!EmbedOptions::decode("").unwrap().embed);
    }

    #[test]
    fn the_full_app_link_keeps_the_view_and_drops_the_embed_options() {
        assert_eq!(
            without_embed_params(
                "?preset=killed-consumer&embed=1&t=12.5&allow=http://a.example&lang=ja"
            ),
            "?preset=killed-consumer&t=12.5&lang=ja"
        );
        assert_eq!(without_embed_params("?embed=1&panels=sync"), "");
    }

    #[test]
    fn bad_embed_options_name_their_parameter() {
        for (query, param) in [
            ("embed=yes", "embed"),
            ("panels=sync,logs", "panels"),
            ("panels=", "panels"),
            ("controls=rewind", "controls"),
            ("allow=javascript:alert(1)", "allow"),
            ("allow=http://a.example/path", "allow"),
            ("autoplay=2", "autoplay"),
        ] {
            assert_eq!(
                EmbedOptions::decode(query).unwrap_err().param,
                param,
                "{query}"
            );
        }
    }

    #[test]
    fn commands_are_read_and_bad_ones_named() {
        let read = |text: &str| Command::from_json(text).unwrap();
        assert_eq!(read(r#"{"type":"ripple:play"}"#), Ok(Command::Play));
        assert_eq!(
            read(r#"{"type":"ripple:seek","t":12.5}"#),
            Ok(Command::Seek { t_us: 12_500_000 })
        );
        let Ok(Command::Inject(action)) =
            read(r#"{"type":"ripple:inject","action":{"action":"kill","target":"analytics"}}"#)
        else {
            panic!("an inject command");
        };
        assert_eq!(action.kind(), ActionKind::Kill);
        assert_eq!(
            read(r#"{"type":"ripple:seek","t":-1}"#).unwrap_err().field,
            "t"
        );
        assert_eq!(
            read(r#"{"type":"ripple:inject"}"#).unwrap_err().field,
            "action"
        );
        assert_eq!(
            read(r#"{"type":"ripple:inject","action":{"action":"explode","target":"x"}}"#)
                .unwrap_err()
                .field,
            "action.action"
        );
        assert_eq!(
            read(r#"{"type":"ripple:rewind"}"#).unwrap_err().field,
            "type"
        );
        // Other pages' messages are not for us: no reply at all.
        assert_eq!(Command::from_json(r#"{"type":"other:play"}"#), None);
        assert_eq!(Command::from_json("not json"), None);
        assert_eq!(Command::from_json("[1,2]"), None);
    }

    #[test]
    fn a_state_event_is_one_json_message() {
        let state = StateEvent {
            playing: true,
            t_us: 1_500_000,
            end_us: 60_000_000,
            trace_hash: "00ff".into(),
            scenario: "happy-path".into(),
            branch: 2,
            sync: WorldCounts {
                requests: 10,
                failed: 2,
                lost: 2,
                duplicated: 0,
            },
            event: WorldCounts {
                requests: 10,
                duplicated: 1,
                ..WorldCounts::default()
            },
        };
        let value: Value = serde_json::from_str(&state.to_json()).unwrap();
        assert_eq!(value["type"], "ripple:state");
        assert_eq!(value["t"], 1.5);
        assert_eq!(value["sync"]["failed"], 2);
        assert_eq!(value["event"]["duplicated"], 1);
    }
}
