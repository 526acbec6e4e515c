//! Every text as data: each key the code asks for exists in all three languages, with the
//! same placeholders, and no language file has a key the others lack.
#![cfg(not(target_arch = "wasm32"))]

use ripple::i18n::Key;
use ripple::live::narration::GUIDES;
use ripple::sim::ProblemCode;
use ripple::template::placeholders;
use ripple::text::{Lang, lookup, parse, texts};

fn sorted_placeholders(text: &str) -> Vec<String> {
    let mut names: Vec<String> = placeholders(text).into_iter().map(String::from).collect();
    names.sort_unstable();
    names
}

#[test]
fn the_shipped_files_parse() {
    for lang in Lang::ALL {
        let parsed = parse(lang.source());
        assert!(parsed.is_ok(), "{}: {:?}", lang.tag(), parsed.err());
    }
}

#[test]
fn every_key_is_in_every_language_with_the_same_placeholders() {
    let english = texts(Lang::En).expect("native builds carry every language");
    assert!(english.values().map(|s| s.len()).sum::<usize>() > 400);
    for lang in [Lang::ZhHant, Lang::Ja] {
        let other = texts(lang).expect("native builds carry every language");
        for (section, keys) in english {
            for (key, text) in keys {
                let Some(translated) = lookup(lang, section, key) else {
                    panic!("{section}.{key} is missing in {}", lang.tag());
                };
                assert!(
                    !translated.trim().is_empty(),
                    "{section}.{key} is empty in {}",
                    lang.tag()
                );
                assert_eq!(
                    sorted_placeholders(text),
                    sorted_placeholders(translated),
                    "{section}.{key} in {} has other placeholders",
                    lang.tag()
                );
            }
        }
        for (section, keys) in other {
            for key in keys.keys() {
                assert!(
                    lookup(Lang::En, section, key).is_some(),
                    "{section}.{key} is in {} but not in English",
                    lang.tag()
                );
            }
        }
    }
}

#[test]
fn every_key_the_code_asks_for_exists() {
    let mut missing = Vec::new();
    for key in Key::ALL {
        if lookup(Lang::En, "catalog", key.name()).is_none() {
            missing.push(format!("catalog.{}", key.name()));
        }
    }
    for code in ProblemCode::ALL {
        if lookup(Lang::En, "problem", code.name()).is_none() {
            missing.push(format!("problem.{}", code.name()));
        }
    }
    for key in ripple::live::why::KEYS {
        if lookup(Lang::En, "why", key).is_none() {
            missing.push(format!("why.{key}"));
        }
    }
    for guide in GUIDES {
        let texts = std::iter::once(&guide.title).chain(guide.steps.iter().map(|s| &s.text));
        for text in texts {
            if lookup(Lang::En, "narration", text.0).is_none() {
                missing.push(format!("narration.{}", text.0));
            }
        }
    }
    assert!(missing.is_empty(), "keys without text: {missing:?}");
}

#[test]
fn no_text_is_left_unused() {
    let english = texts(Lang::En).expect("native builds carry every language");
    let used = |section: &str, key: &str| match section {
        "catalog" => Key::ALL.iter().any(|k| k.name() == key),
        "problem" => ProblemCode::ALL.iter().any(|c| c.name() == key),
        "narration" => GUIDES
            .iter()
            .any(|g| g.title.0 == key || g.steps.iter().any(|s| s.text.0 == key)),
        "why" => ripple::live::why::KEYS.contains(&key),
        _ => false,
    };
    let unused: Vec<String> = english
        .iter()
        .flat_map(|(section, keys)| keys.keys().map(move |k| (section, k)))
        .filter(|(section, key)| !used(section, key))
        .map(|(section, key)| format!("{section}.{key}"))
        .collect();
    assert!(unused.is_empty(), "texts nothing asks for: {unused:?}");
}
