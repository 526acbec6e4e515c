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
//! and the browser's translations read the same files. Native binaries carry all three;
//! the browser's binary carries none and fetches its reader's language (`ui::texts`), so
//! the words never weigh on the first download.

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

    /// The data file's path beside `index.html`, which the browser fetches (relative, so a
    /// build served under a sub-path finds it).
    pub fn file(self) -> String {
        format!("text/{}.json", self.tag())
    }

    /// The file as built into native binaries (the CLI and tests). The browser's binary
    /// carries no text: it fetches only its reader's language, which [`install`] keeps.
    #[cfg(not(target_arch = "wasm32"))]
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

/// Each language's parsed texts, set once: natively on first use, in the browser when its
/// file arrives. Three tables at most, kept for the page's life, so lookups lend `'static`.
static TABLES: [OnceLock<Texts>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];

/// Keeps `source` as `lang`'s texts; a broken file is refused with the parser's reason and
/// leaves nothing installed. Installing a language twice keeps the first.
pub fn install(lang: Lang, source: &str) -> Result<(), String> {
    let texts = parse(source)?;
    let _ = TABLES[lang.index()].set(texts);
    Ok(())
}

/// Whether `lang`'s texts can be looked up now.
pub fn is_loaded(lang: Lang) -> bool {
    texts(lang).is_some()
}

/// The parsed texts of `lang`: natively read once on first use; in the browser, once installed.
pub fn texts(lang: Lang) -> Option<&'static Texts> {
    let table = &TABLES[lang.index()];
    #[cfg(not(target_arch = "wasm32"))]
    // The shipped files are checked by tests, so a broken one shows keys, never a panic.
    let table = Some(table.get_or_init(|| parse(lang.source()).unwrap_or_default()));
    #[cfg(target_arch = "wasm32")]
    let table = table.get();
    table
}

/// The template for `key` in `section`, in `lang` if it has one.
pub fn lookup(lang: Lang, section: &str, key: &str) -> Option<&'static str> {
    texts(lang)?
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
