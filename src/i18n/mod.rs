//! Translations for every user-facing string: locales, lookup, templates and number formatting.
//!
//! The words live in per-language data files (`src/text/*.json`) read through one lookup,
//! [`crate::text`]; tests check that every key has all three languages with the same
//! placeholders. Templates use named `{placeholders}`, which are
//! filled by [`Locale::fill`], so sentences are never glued together from
//! English fragments. This module is plain Rust so it is tested natively; the
//! UI keeps the current [`Locale`] in a signal.

mod catalog;
mod problems;
mod verdict;

pub use catalog::Key;
pub use problems::problem_text;
pub use verdict::{condition_line, verdict_headline};

/// A language the app speaks: the same type the text files are keyed by.
pub use crate::text::Lang as Locale;

impl Locale {
    /// The language's own name for itself, shown on the language switch.
    pub fn endonym(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhHant => "繁體中文",
            Locale::Ja => "日本語",
        }
    }

    /// Parses an exact tag from a URL parameter (`en`, `zh-Hant`, `ja`), case-insensitively.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// Picks the best locale for a browser language such as `zh-TW` or `ja-JP`.
    ///
    /// Traditional-script Chinese regions map to zh-Hant; simplified Chinese has
    /// no translation of its own, so it falls back to zh-Hant too rather than English.
    pub fn negotiate(browser_language: &str) -> Locale {
        let lower = browser_language.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "zh" => Locale::ZhHant,
            "ja" => Locale::Ja,
            _ => Locale::En,
        }
    }

    /// The locale a page opens in: an explicit `?lang=` wins, then the browser's
    /// language. An unknown `?lang=` is reported so the UI can say so.
    pub fn choose(lang_param: Option<&str>, browser_language: Option<&str>) -> LocaleChoice {
        let from_browser = Locale::negotiate(browser_language.unwrap_or(""));
        match lang_param {
            None => LocaleChoice {
                locale: from_browser,
                rejected_param: None,
            },
            Some(param) => match Locale::from_tag(param) {
                Some(locale) => LocaleChoice {
                    locale,
                    rejected_param: None,
                },
                None => LocaleChoice {
                    locale: from_browser,
                    rejected_param: Some(param.to_string()),
                },
            },
        }
    }

    /// The text of a key in this locale.
    pub fn text(self, key: Key) -> &'static str {
        key.text(self)
    }

    /// A refusal from the core in this language, with its values.
    pub fn problem(self, problem: &crate::sim::Problem) -> String {
        problem_text(problem, self)
    }

    /// Fills a template's `{name}` placeholders. Unknown placeholders are left visible,
    /// so a missing argument shows up in a screenshot instead of vanishing.
    pub fn fill(self, key: Key, args: &[(&str, &str)]) -> String {
        fill_template(key.text(self), args)
    }
}

/// The refusal for a language tag Ripple does not speak, listing the ones it does.
pub fn unknown_language(tag: &str) -> crate::sim::Problem {
    let known: Vec<&str> = Locale::ALL.iter().map(|l| l.tag()).collect();
    crate::sim::Problem::NotOneOf {
        got: tag.to_string(),
        known: known.join(", "),
    }
}

/// The outcome of [`Locale::choose`]: the locale, and a `?lang=` value that was not understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocaleChoice {
    pub locale: Locale,
    pub rejected_param: Option<String>,
}

pub use crate::template::{fill_template, placeholders};

/// Formats a number with thousands separators and a fixed count of decimals.
///
/// en, zh-Hant and ja all group by thousands with `,` and use `.` for decimals,
/// so the locale is taken for the day a locale with other rules is added.
pub fn format_number(_locale: Locale, value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let formatted = format!("{:.*}", decimals, value.abs());
    let (integer, fraction) = match formatted.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (formatted.as_str(), None),
    };
    let mut grouped = String::with_capacity(integer.len() + integer.len() / 3 + 4);
    let rounds_to_zero = formatted.bytes().all(|b| b == b'0' || b == b'.');
    if value < 0.0 && !rounds_to_zero {
        grouped.push('-');
    }
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if let Some(fraction) = fraction {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    grouped
}

/// Formats a duration given in milliseconds, choosing ms, s or min, in the locale's units.
pub fn format_duration_ms(locale: Locale, duration_ms: f64) -> String {
    let (value, decimals, key) = if duration_ms.abs() < 1_000.0 {
        let decimals = if duration_ms.abs() < 10.0 { 1 } else { 0 };
        (duration_ms, decimals, Key::UnitMilliseconds)
    } else if duration_ms.abs() < 60_000.0 {
        (duration_ms / 1_000.0, 1, Key::UnitSeconds)
    } else {
        (duration_ms / 60_000.0, 1, Key::UnitMinutes)
    };
    locale.fill(key, &[("n", &format_number(locale, value, decimals))])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_every_locale() {
        for key in Key::ALL {
            for locale in Locale::ALL {
                assert!(
                    !key.text(locale).trim().is_empty(),
                    "{key:?} is empty in {}",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn translations_keep_the_same_placeholders() {
        for key in Key::ALL {
            let mut english = placeholders(key.text(Locale::En));
            english.sort_unstable();
            for locale in [Locale::ZhHant, Locale::Ja] {
                let mut other = placeholders(key.text(locale));
                other.sort_unstable();
                assert_eq!(
                    english,
                    other,
                    "{key:?} in {} has other placeholders",
                    locale.tag()
                );
            }
        }
    }

    /// A translation identical to the English text is almost always a forgotten
    /// one; the few words that are the same everywhere are listed here.
    #[test]
    fn translations_are_not_english_copies() {
        let same_everywhere = [
            Key::AppName,
            Key::SpeedValue,
            Key::SimClock,
            Key::Acks,
            Key::NotYet,
            Key::PartitionShort,
            Key::BrokerShort,
            // An event version is written "v2" in every language.
            Key::ProducerVersion,
        ];
        for key in Key::ALL {
            if same_everywhere.contains(key) {
                continue;
            }
            let english = key.text(Locale::En);
            for locale in [Locale::ZhHant, Locale::Ja] {
                assert_ne!(
                    english,
                    key.text(locale),
                    "{key:?} is untranslated in {}",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn tags_round_trip_and_browser_languages_negotiate() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::from_tag("ZH-hant"), Some(Locale::ZhHant));
        assert_eq!(Locale::from_tag("fr"), None);
        assert_eq!(Locale::negotiate("zh-TW"), Locale::ZhHant);
        assert_eq!(Locale::negotiate("ja-JP"), Locale::Ja);
        assert_eq!(Locale::negotiate("de-CH"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
    }

    #[test]
    fn an_explicit_lang_param_wins_and_a_bad_one_is_reported() {
        let chosen = Locale::choose(Some("ja"), Some("zh-TW"));
        assert_eq!(
            chosen,
            LocaleChoice {
                locale: Locale::Ja,
                rejected_param: None
            }
        );
        let fallback = Locale::choose(Some("klingon"), Some("zh-TW"));
        assert_eq!(fallback.locale, Locale::ZhHant);
        assert_eq!(fallback.rejected_param.as_deref(), Some("klingon"));
        assert_eq!(Locale::choose(None, None).locale, Locale::En);
    }

    #[test]
    fn templates_fill_named_placeholders_and_keep_unknown_ones() {
        assert_eq!(
            fill_template("{a} and {b}", &[("a", "1"), ("b", "2")]),
            "1 and 2"
        );
        assert_eq!(fill_template("{a} and {c}", &[("a", "1")]), "1 and {c}");
        assert_eq!(fill_template("no close {a", &[("a", "1")]), "no close {a");
        assert_eq!(placeholders("x {a} y {b}"), vec!["a", "b"]);
    }

    #[test]
    fn numbers_group_thousands_and_round() {
        assert_eq!(format_number(Locale::En, 1_234_567.0, 0), "1,234,567");
        assert_eq!(format_number(Locale::Ja, 999.0, 0), "999");
        assert_eq!(format_number(Locale::ZhHant, -1_234.5, 1), "-1,234.5");
        assert_eq!(format_number(Locale::En, -0.01, 1), "0.0");
        assert_eq!(format_number(Locale::En, f64::NAN, 1), "–");
    }

    #[test]
    fn durations_pick_a_readable_unit_per_locale() {
        assert_eq!(format_duration_ms(Locale::En, 4.26), "4.3 ms");
        assert_eq!(format_duration_ms(Locale::En, 15_000.0), "15.0 s");
        assert_eq!(format_duration_ms(Locale::Ja, 15_000.0), "15.0 秒");
        assert_eq!(format_duration_ms(Locale::ZhHant, 90_000.0), "1.5 分鐘");
    }
}
