//! Share links: the scenario, seed, user actions and playhead encoded in a URL query, and decoded with clear errors.
//!
//! A preset link stays readable (`?preset=killed-consumer&t=12.5`). A scenario
//! that differs from its preset travels whole as URL-safe base64 JSON in `s`,
//! and the user's actions as base64 JSON in `a`. The playhead `t` is in seconds
//! with microsecond precision, so a link reproduces the exact run: same trace
//! hash, same scoreboards. Decoding never panics; every error names the parameter.

use crate::sim::scenario::{Fault, read_json};
use crate::sim::sweep::{MAX_POINTS, MIN_POINTS, SweepSpec};
use crate::sim::{Problem, Scenario, presets};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A sweep's range and points; points alone are ignored, a range alone runs 10.
fn read_sweep(
    range: Option<String>,
    points: Option<String>,
) -> Result<Option<SweepSpec>, ShareError> {
    let Some(range) = range else {
        return Ok(None);
    };
    let points = match points {
        None => 10,
        Some(text) => text.trim().parse::<u32>().map_err(|_| {
            let problem = Problem::range(MIN_POINTS, MAX_POINTS, &text);
            error("points", problem)
        })?,
    };
    let spec = SweepSpec::parse(&range, points).map_err(|e| error("sweep", e.problem))?;
    Ok(Some(spec))
}

/// Longest query read, so a pasted URL cannot make the page work without bound.
pub const MAX_QUERY_CHARS: usize = 200_000;
/// Most actions a link may carry.
pub const MAX_ACTIONS: usize = 1_000;

/// Everything a link says about the view.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SharedView {
    /// The preset the scenario is (or started as).
    pub preset: Option<String>,
    /// The whole scenario, when it is not a preset as shipped (settings changed).
    pub scenario: Option<Scenario>,
    pub seed: Option<u64>,
    /// The playhead in microseconds.
    pub t_us: Option<u64>,
    /// The user's actions, in the order they were applied.
    pub actions: Vec<Fault>,
    pub lang: Option<String>,
    /// A sweep to run over this view's scenario: `sweep=PATH=FROM..TO&points=N`.
    pub sweep: Option<SweepSpec>,
}

/// A parameter that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    pub param: String,
    pub problem: Problem,
}

impl ShareError {
    /// What is wrong, in English (the browser translates [`ShareError::problem`]).
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.param, self.problem)
    }
}

pub(crate) fn error(param: &str, problem: Problem) -> ShareError {
    ShareError {
        param: param.to_string(),
        problem,
    }
}

/// Seconds as the shortest decimal that still names the exact microsecond.
pub fn seconds_text(t_us: u64) -> String {
    let whole = t_us / 1_000_000;
    let fraction = t_us % 1_000_000;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:06}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Parses `12.5` (seconds, at most six decimals) into microseconds.
fn parse_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 6 {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let fraction: u64 = format!("{fraction:0<6}").parse().ok()?;
    whole.checked_mul(1_000_000)?.checked_add(fraction)
}

fn percent_decode(text: &str) -> Result<String, Problem> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or(Problem::BadPercentEscape {})?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| Problem::NotUtf8 {})
}

/// A query string's `key=value` pairs, percent-decoded; an over-long query or a bad escape is named.
pub fn query_pairs(query: &str) -> Result<Vec<(String, String)>, ShareError> {
    if query.len() > MAX_QUERY_CHARS {
        return Err(error(
            "url",
            Problem::TooLong {
                max: MAX_QUERY_CHARS.to_string(),
            },
        ));
    }
    let mut pairs = Vec::new();
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        if key.is_empty() {
            // `?=x` names nothing; there is no parameter to blame or to read.
            continue;
        }
        let value = percent_decode(raw).map_err(|m| error(key, m))?;
        pairs.push((key.to_string(), value));
    }
    Ok(pairs)
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn json_param<T: serde::de::DeserializeOwned>(param: &str, value: &str) -> Result<T, ShareError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(value.trim_end_matches('='))
        .map_err(|_| error(param, Problem::NotBase64 {}))?;
    let text = String::from_utf8(bytes).map_err(|_| error(param, Problem::NotUtf8 {}))?;
    read_json(&text).map_err(|e| within_param(param, e))
}

/// A scenario error found inside a parameter's JSON, named as `param: field`.
fn within_param(param: &str, inner: crate::sim::ScenarioError) -> ShareError {
    let inner = inner.within(param, ": ");
    error(&inner.field, inner.problem)
}

fn to_base64(json: &str) -> String {
    URL_SAFE_NO_PAD.encode(json.as_bytes())
}

impl SharedView {
    /// Reads a query string such as `?preset=signup&t=12.5` (the `?` is optional).
    /// Unknown parameters are ignored, as links travel through other tools that add theirs.
    pub fn decode(query: &str) -> Result<SharedView, ShareError> {
        let mut view = SharedView::default();
        let (mut sweep, mut points) = (None, None);
        for (key, value) in query_pairs(query)? {
            match key.as_str() {
                "preset" => {
                    if presets::preset(&value).is_none() {
                        let known: Vec<&str> = presets::PRESETS.iter().map(|(n, _)| *n).collect();
                        return Err(error(
                            "preset",
                            Problem::NoSuchPreset {
                                name: value,
                                presets: known.join(", "),
                            },
                        ));
                    }
                    view.preset = Some(value);
                }
                "seed" => {
                    view.seed = Some(value.trim().parse().map_err(|_| {
                        error(
                            "seed",
                            Problem::NotAWholeNumber {
                                got: value.clone(),
                                max: u64::MAX.to_string(),
                            },
                        )
                    })?)
                }
                "t" => {
                    view.t_us =
                        Some(parse_seconds(&value).ok_or_else(|| {
                            error("t", Problem::NotSeconds { got: value.clone() })
                        })?)
                }
                "s" => {
                    let value: serde_json::Value = json_param("s", &value)?;
                    let scenario = Scenario::from_json(&value.to_string())
                        .map_err(|e| within_param("s", e))?;
                    view.scenario = Some(scenario);
                }
                "a" => {
                    let actions: Vec<Fault> = json_param("a", &value)?;
                    if actions.len() > MAX_ACTIONS {
                        return Err(error("a", Problem::too_many(MAX_ACTIONS, actions.len())));
                    }
                    view.actions = actions;
                }
                "lang" => view.lang = Some(value),
                "sweep" => sweep = Some(value),
                "points" => points = Some(value),
                _ => {}
            }
        }
        view.sweep = read_sweep(sweep, points)?;
        Ok(view)
    }

    /// The query string for this view, starting with `?`.
    pub fn encode(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(preset) = &self.preset {
            pairs.push(format!("preset={}", percent_encode(preset)));
        }
        if let Some(scenario) = &self.scenario {
            let compact = serde_json::to_string(scenario).expect("scenarios serialise");
            pairs.push(format!("s={}", to_base64(&compact)));
        }
        if let Some(seed) = self.seed {
            pairs.push(format!("seed={seed}"));
        }
        if !self.actions.is_empty() {
            let actions = serde_json::to_string(&self.actions).expect("actions serialise");
            pairs.push(format!("a={}", to_base64(&actions)));
        }
        if let Some(t_us) = self.t_us {
            pairs.push(format!("t={}", seconds_text(t_us)));
        }
        if let Some(sweep) = &self.sweep {
            pairs.push(format!("sweep={}", percent_encode(&sweep.range_text())));
            pairs.push(format!("points={}", sweep.points));
        }
        if let Some(lang) = &self.lang {
            pairs.push(format!("lang={}", percent_encode(lang)));
        }
        format!("?{}", pairs.join("&"))
    }

    /// Describes a run: `base` (the scenario before any action, as chosen from `preset`),
    /// the actions applied since, and the playhead. A base that is the preset with
    /// another seed travels as `preset` + `seed`; any other change travels whole.
    pub fn of_run(preset: &str, base: &Scenario, actions: &[Fault], t_us: u64) -> SharedView {
        let shipped = presets::preset(preset);
        let mut view = SharedView {
            t_us: Some(t_us),
            actions: actions.to_vec(),
            ..SharedView::default()
        };
        match shipped {
            Some(mut shipped) => {
                view.preset = Some(preset.to_string());
                if shipped.seed != base.seed {
                    view.seed = Some(base.seed);
                    shipped.seed = base.seed;
                }
                if &shipped != base {
                    view.scenario = Some(base.clone());
                    view.seed = None;
                }
            }
            None => view.scenario = Some(base.clone()),
        }
        view
    }

    /// The scenario the link opens, before its actions: `s`, else the preset, with `seed` applied.
    pub fn base_scenario(&self) -> Option<Scenario> {
        let mut scenario = self
            .scenario
            .clone()
            .or_else(|| self.preset.as_deref().and_then(presets::preset))?;
        if let Some(seed) = self.seed {
            scenario.seed = seed;
        }
        Some(scenario)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{Action, Target};

    fn kill(at_ms: f64, target: &str) -> Fault {
        Action::Kill(Target::named(target)).at(at_ms)
    }

    #[test]
    fn preset_links_stay_readable() {
        let base = presets::preset("killed-consumer").unwrap();
        let view = SharedView::of_run("killed-consumer", &base, &[], 12_500_000);
        assert_eq!(view.encode(), "?preset=killed-consumer&t=12.5");
        assert_eq!(
            SharedView::decode("?preset=killed-consumer&t=12.5").unwrap(),
            view
        );
    }

    #[test]
    fn seeds_settings_and_actions_round_trip_exactly() {
        let mut base = presets::preset("signup").unwrap();
        base.seed = 99;
        let actions = [kill(20_000.123, "analytics")];
        let view = SharedView::of_run("signup", &base, &actions, 25_000_017);
        let encoded = view.encode();
        assert!(
            encoded.starts_with("?preset=signup&seed=99&a="),
            "{encoded}"
        );
        assert!(encoded.ends_with("&t=25.000017"), "{encoded}");
        let decoded = SharedView::decode(&encoded).unwrap();
        assert_eq!(decoded, view);
        assert_eq!(decoded.base_scenario().unwrap(), base);

        base.event.idempotent = true;
        let view = SharedView::of_run("signup", &base, &[], 1);
        assert!(view.scenario.is_some() && view.seed.is_none());
        assert_eq!(
            SharedView::decode(&view.encode())
                .unwrap()
                .base_scenario()
                .unwrap(),
            base
        );
    }

    #[test]
    fn bad_parameters_name_themselves() {
        let param = |query: &str| SharedView::decode(query).unwrap_err().param;
        assert_eq!(param("?preset=nope"), "preset");
        assert_eq!(param("?seed=-1"), "seed");
        assert_eq!(param("?t=soon"), "t");
        assert_eq!(param("?t=1.1234567"), "t");
        assert_eq!(param("?s=%%%"), "s");
        assert_eq!(param("?s=e30"), "s", "{{}} is a scenario without services");
        assert_eq!(param("?a=bm90IGpzb24"), "a");
        assert!(SharedView::decode("?unknown=1&utm_source=x").is_ok());
        // Found by tests/fuzz_decoders.rs: a pair without a name.
        assert!(SharedView::decode("?=%zz&t=1").is_ok());
        assert!(SharedView::decode(&"a".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn seconds_keep_every_microsecond() {
        for t_us in [0, 1, 999_999, 1_000_000, 12_500_000, 600_000_001] {
            assert_eq!(parse_seconds(&seconds_text(t_us)), Some(t_us));
        }
    }

    #[test]
    fn a_sweep_travels_in_the_link() {
        let view = SharedView {
            preset: Some("signup".into()),
            sweep: Some(SweepSpec::parse("sync.timeout_ms=100..2000", 12).unwrap()),
            ..SharedView::default()
        };
        let query = view.encode();
        assert!(
            query.contains("sweep=sync.timeout_ms%3D100..2000&points=12"),
            "{query}"
        );
        assert_eq!(SharedView::decode(&query).unwrap(), view);
        let alone = SharedView::decode("?sweep=event.partitions%3D1..6").unwrap();
        assert_eq!(alone.sweep.map(|s| s.points), Some(10));
        let bad = SharedView::decode("?sweep=event.partitions").unwrap_err();
        assert_eq!(bad.param, "sweep");
        let bad = SharedView::decode("?sweep=event.partitions%3D1..6&points=many").unwrap_err();
        assert_eq!(bad.param, "points");
    }
}
