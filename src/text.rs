//! Every user-facing text as data: one JSON file per language (`src/text/*.json`), one lookup.
//!
//! A file is an object of sections — `catalog` (the page's words), `problem` (the core's
//! refusals, by code), `narration` (each preset's guide, by preset and step) — each an
//! object from key to a `{placeholder}` template. Every module that shows words asks
//! [`text`]; English is the fallback, so a key missing in one language still reads.
//! `tests/text.rs` checks that every key exists in all three files with the same
//! placeholders, and that every key the code asks for exists.
//!
//! This module sits beside `template.rs`, below every layer: the core's English refusals
//! and the browser's translations read the same files.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A language the app speaks and the texts are written in (`i18n::Locale` is this type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    #[default]
    En,
    ZhHant,
    Ja,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::ZhHant, Lang::Ja];

    /// The BCP 47 tag, as used in `?lang=`, in `<html lang>` and as the file's name.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHant => "zh-Hant",
            Lang::Ja => "ja",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The file as shipped in the binary.
    pub fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("text/en.json"),
            Lang::ZhHant => include_str!("text/zh-Hant.json"),
            Lang::Ja => include_str!("text/ja.json"),
        }
    }
}

/// A section of a text file: key to template.
pub type Section = BTreeMap<String, String>;

/// A whole text file: section name to section.
pub type Texts = BTreeMap<String, Section>;

/// Bytes a text file may have; the three shipped together are under 100 KB.
pub const MAX_TEXT_FILE_BYTES: usize = 512 * 1024;

/// Reads a text file; an error names what is wrong (a test keeps the shipped files valid).
pub fn parse(source: &str) -> Result<Texts, String> {
    if source.len() > MAX_TEXT_FILE_BYTES {
        return Err(format!("larger than {MAX_TEXT_FILE_BYTES} bytes"));
    }
    serde_json::from_str(source).map_err(|e| e.to_string())
}

/// The parsed texts of `lang`, read once on first use.
pub fn texts(lang: Lang) -> &'static Texts {
    static TABLES: [OnceLock<Texts>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    // The shipped files are checked by tests, so a broken one shows keys, never a panic.
    TABLES[lang.index()].get_or_init(|| parse(lang.source()).unwrap_or_default())
}

/// The template for `key` in `section`, in `lang` if it has one.
pub fn lookup(lang: Lang, section: &str, key: &str) -> Option<&'static str> {
    texts(lang)
        .get(section)
        .and_then(|s| s.get(key))
        .map(String::as_str)
}

/// The template for `key` in `section` in `lang`, else in English, else the key itself.
pub fn text(lang: Lang, section: &str, key: &'static str) -> &'static str {
    lookup(lang, section, key)
        .or_else(|| lookup(Lang::En, section, key))
        .unwrap_or(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_own_words_and_english_is_the_fallback() {
        assert_eq!(text(Lang::En, "catalog", "LanguageLabel"), "Language");
        assert_eq!(text(Lang::ZhHant, "catalog", "LanguageLabel"), "語言");
        assert_eq!(text(Lang::Ja, "catalog", "LanguageLabel"), "言語");
        assert_eq!(text(Lang::Ja, "catalog", "NoSuchKey"), "NoSuchKey");
        assert_eq!(lookup(Lang::En, "nowhere", "LanguageLabel"), None);
    }

    #[test]
    fn a_broken_file_is_refused_with_a_reason() {
        assert!(parse("{\"catalog\": 3}").is_err());
        assert!(parse(&" ".repeat(MAX_TEXT_FILE_BYTES + 1)).is_err());
        assert!(parse("{\"catalog\": {\"A\": \"a\"}}").is_ok());
    }
}
