//! The shipped workshop exercises: each fails as given, passes with its solution, in the library and on the CLI.
#![cfg(not(target_arch = "wasm32"))]

use ripple::sim::exercise::Exercise;
use ripple::sim::exercises::EXERCISES;
use std::process::Command;

fn solution_path(name: &str) -> String {
    format!("{}/tests/solutions/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn ripple_sim(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_ripple-sim"))
        .args(args)
        .output()
        .expect("ripple-sim runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn at_least_six_exercises_ship_with_every_text_in_three_languages() {
    assert!(EXERCISES.len() >= 6);
    for (name, json) in EXERCISES {
        let exercise = Exercise::from_json(json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&exercise.name, name);
        assert!(
            exercise.hints.len() >= 2,
            "{name} gives fewer than two hints"
        );
        for lang in ripple::text::Lang::ALL {
            let tag = lang.tag();
            assert!(exercise.title.has(lang), "{name}: title lacks {tag}");
            assert!(exercise.brief.has(lang), "{name}: brief lacks {tag}");
            for (i, hint) in exercise.hints.iter().enumerate() {
                assert!(hint.has(lang), "{name}: hint {i} lacks {tag}");
            }
        }
    }
}

#[test]
fn each_exercise_fails_as_given_and_passes_with_its_solution() {
    for (name, json) in EXERCISES {
        let exercise = Exercise::from_json(json).expect("valid");
        let start = exercise.check(&Default::default()).expect("runs");
        assert!(
            !start.passed,
            "{name} passes before the learner changes anything:\n{start}"
        );
        let text = std::fs::read_to_string(solution_path(name)).expect("solution file");
        let settings = Exercise::settings_from_json(&text).expect("solution parses");
        let solved = exercise
            .check(&settings)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(solved.passed, "{name}'s solution does not pass:\n{solved}");
    }
}

#[test]
fn the_cli_prints_the_verdict_and_exits_zero_or_one() {
    let name = "no-loss-no-duplicates";
    let (code, out, _) = ripple_sim(&["--check", name]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAIL") && out.contains("FAILS: event.effects.duplicated == 0"),
        "{out}"
    );
    let solution = solution_path(name);
    let (code, out, _) = ripple_sim(&["--check", name, "--solution", &solution]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("PASS"), "{out}");
    let (code, out, _) = ripple_sim(&["--list-exercises"]);
    assert_eq!(code, 0);
    for (name, _) in EXERCISES {
        assert!(out.contains(name), "{out}");
    }
}

#[test]
fn a_workshop_check_speaks_its_language() {
    let name = "no-loss-no-duplicates";
    let (code, out, _) = ripple_sim(&["--check", name, "--lang", "ja"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("まだです：1 個の条件を満たしていません。"),
        "{out}"
    );
    assert!(
        out.contains("不成立: event.effects.duplicated == 0 (event.effects.duplicated は "),
        "{out}"
    );
    let solution = solution_path(name);
    let (code, out, _) = ripple_sim(&[
        "--check",
        name,
        "--solution",
        &solution,
        "--lang",
        "zh-Hant",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("通過：所有條件都成立。"), "{out}");

    // A refused solution names the field, and says why in the workshop's language.
    let dir = std::env::temp_dir().join(format!("ripple-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_allowed = dir.join("not-allowed.json");
    std::fs::write(&not_allowed, r#"{"event.acks": "0"}"#).unwrap();
    let path = not_allowed.to_str().unwrap();
    let (code, _, err) = ripple_sim(&["--check", name, "--solution", path, "--lang", "ja"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("settings.event.acks: この演習では変えられない設定です"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();

    let (code, _, err) = ripple_sim(&["--check", name, "--lang", "fr"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--lang: `fr` is not one of en, zh-Hant, ja"),
        "{err}"
    );
    let (code, _, err) = ripple_sim(&["--preset", "signup", "--lang", "ja"]);
    assert_eq!(code, 2);
    assert!(err.contains("--lang goes with --check"), "{err}");
}

#[test]
fn bad_exercises_and_settings_exit_two_naming_the_field() {
    let dir = std::env::temp_dir().join(format!("ripple-exercise-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_goal = dir.join("bad-goal.json");
    std::fs::write(
        &bad_goal,
        r#"{"name": "x", "title": "x", "scenario": "signup", "allowed": [], "goal": "sync.faild > 0"}"#,
    )
    .unwrap();
    let (code, _, err) = ripple_sim(&["--check", bad_goal.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("goal") && err.contains("faild"), "{err}");

    let not_allowed = dir.join("not-allowed.json");
    std::fs::write(&not_allowed, r#"{"event.acks": "0"}"#).unwrap();
    let (code, _, err) = ripple_sim(&[
        "--check",
        "no-loss-no-duplicates",
        "--solution",
        not_allowed.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("settings.event.acks"), "{err}");

    let (code, _, err) = ripple_sim(&["--check", "no-such-exercise"]);
    assert_eq!(code, 2);
    assert!(err.contains("no shipped exercise"), "{err}");
    let (code, _, err) = ripple_sim(&["--solution", "x.json", "--preset", "signup"]);
    assert_eq!(code, 2);
    assert!(err.contains("--solution goes with --check"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
