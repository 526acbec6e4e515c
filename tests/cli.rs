//! The `ripple-sim` binary, run as a user would: reports, presets, traces, and clear exits on bad input.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

fn ripple_sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ripple-sim"))
        .args(args)
        .output()
        .expect("ripple-sim runs")
}

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("ripple-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).expect("temp file");
    path
}

fn stderr_line(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

#[test]
fn a_preset_run_prints_a_full_report_matching_the_library() {
    let output = ripple_sim(&["--preset", "signup", "--duration-ms", "5000"]);
    assert!(output.status.success(), "{}", stderr_line(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    for field in [
        "scenario",
        "seed",
        "duration_ms",
        "events_simulated",
        "trace_hash",
        "sync",
        "event",
        "inconsistent_requests",
        "effects_by_service",
    ] {
        assert!(report.get(field).is_some(), "report lacks {field}");
    }
    for field in ["events_published", "max_lag", "dlq", "groups"] {
        assert!(
            report["event"].get(field).is_some(),
            "event report lacks {field}"
        );
    }
    for field in ["requests", "succeeded", "failed", "latency_ms", "effects"] {
        assert!(
            report["sync"].get(field).is_some(),
            "sync report lacks {field}"
        );
    }
    let mut scenario = ripple::sim::presets::preset("signup").expect("preset");
    scenario.duration_ms = 5000;
    let mut sim = ripple::sim::Simulation::new(scenario).expect("valid");
    sim.run_to_end();
    assert_eq!(
        report["trace_hash"],
        sim.report().trace_hash,
        "the CLI and the library run the same core"
    );
}

#[test]
fn seed_and_trace_options_take_effect() {
    let trace = std::env::temp_dir().join(format!("ripple-cli-{}-trace.jsonl", std::process::id()));
    let trace_arg = trace.to_string_lossy().to_string();
    let a = ripple_sim(&[
        "--preset",
        "signup",
        "--duration-ms",
        "2000",
        "--seed",
        "5",
        "--trace",
        &trace_arg,
    ]);
    let b = ripple_sim(&["--preset", "signup", "--duration-ms", "2000", "--seed", "6"]);
    let hash = |o: &Output| {
        serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("report")["trace_hash"]
            .clone()
    };
    assert_ne!(hash(&a), hash(&b));
    let lines = std::fs::read_to_string(&trace).expect("trace written");
    let first: serde_json::Value =
        serde_json::from_str(lines.lines().next().expect("some events")).expect("JSON line");
    assert!(first.get("time_us").is_some() && first.get("type").is_some());
    assert!(lines.lines().count() > 100);
}

#[test]
fn presets_are_listed() {
    let output = ripple_sim(&["--list-presets"]);
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    for (name, _) in ripple::sim::presets::PRESETS {
        assert!(
            listing.lines().any(|line| line.starts_with(name)),
            "{name} missing from {listing}"
        );
    }
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_problem() {
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![temp_file("malformed.json", r#"{"services": [{"name": "a""#).display().to_string()], "ends too early"),
        (vec![temp_file("unknown.json", r#"{"services": [{"name": "a"}], "colour": 1}"#).display().to_string()], "unknown field `colour`"),
        (vec![temp_file("negative.json", r#"{"services": [{"name": "a", "workers": -3}]}"#).display().to_string()], "services[0].workers"),
        (vec![temp_file("absurd.json", r#"{"services": [{"name": "a"}], "event": {"partitions": 100000}}"#).display().to_string()], "event.partitions"),
        (
            vec![temp_file("cycle.json", r#"{"services": [{"name": "a", "calls": ["b"]}, {"name": "b", "calls": ["c"]}, {"name": "c", "calls": ["b"]}]}"#).display().to_string()],
            "services[2].calls[0]",
        ),
        (
            vec![temp_file("target.json", r#"{"services": [{"name": "a"}], "faults": [{"at_ms": 1, "action": "kill", "target": "ghost"}]}"#).display().to_string()],
            "faults[0].target",
        ),
        (vec!["/nonexistent/scenario.json".to_string()], "cannot read"),
        (vec!["--preset".to_string(), "nope".to_string()], "no preset named `nope`"),
        (vec!["--preset".to_string(), "signup".to_string(), "--seed".to_string(), "-1".to_string()], "--seed"),
        (vec!["--bogus".to_string()], "unknown option --bogus"),
        (vec!["--list-presets".to_string(), "--why".to_string()], "--why goes with a run"),
        (vec!["--preset".to_string(), "signup".to_string(), "--lang".to_string(), "ja".to_string()], "--lang goes with --check or --why"),
        (vec![], "give exactly one of"),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = ripple_sim(&args);
        let message = stderr_line(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(
            message.contains(expected),
            "{args:?}: `{message}` should mention `{expected}`"
        );
        assert!(
            !message.contains("panicked"),
            "{args:?} panicked: {message}"
        );
    }
}

#[test]
fn why_prints_the_causes_as_sentences_in_the_language_asked() {
    let output = ripple_sim(&["--preset", "hung-leaf", "--why"]);
    assert!(output.status.success(), "{}", stderr_line(&output));
    let text = String::from_utf8_lossy(&output.stdout);
    let (sync, event) = text.split_once("Event world").expect("both worlds");
    assert!(sync.starts_with("Sync world"), "{text}");
    assert!(
        sync.lines().any(|l| l.contains("signup rejected")
            && l.contains("its queue was full")
            && l.contains("signup → email → template")
            && l.contains("template was hung from 15.0 s")),
        "{text}"
    );
    assert!(event.contains("waiting on template"), "{text}");
    let output = ripple_sim(&["--preset", "hung-leaf", "--why", "--lang", "ja"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("同期の世界"), "{text}");
    assert!(text.contains("連鎖：signup → email → template。"), "{text}");
    // The report carries the same causes as data.
    let output = ripple_sim(&["--preset", "hung-leaf"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let first = &report["causes"]["sync"][1];
    for field in [
        "window_ms",
        "at",
        "mechanism",
        "count",
        "chain",
        "root",
        "share",
    ] {
        assert!(!first[field].is_null(), "causes lack `{field}`: {first}");
    }
    assert_eq!(first["mechanism"], "queue_full");
    assert_eq!(first["root"], "template");
}

#[test]
fn a_sweep_prints_the_library_table_as_json_and_csv() {
    use ripple::sim::presets::preset;
    use ripple::sim::sweep::{Sweep, SweepSpec, SweepTable};
    let args = [
        "--sweep",
        "sync.timeout_ms=100..900",
        "--points",
        "3",
        "--preset",
        "signup",
        "--duration-ms",
        "8000",
    ];
    let output = ripple_sim(&args);
    assert!(output.status.success(), "{}", stderr_line(&output));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON table");
    let mut base = preset("signup").unwrap();
    base.duration_ms = 8_000;
    let spec = SweepSpec::parse("sync.timeout_ms=100..900", 3).unwrap();
    let sweep = Sweep::new(&base, spec).unwrap();
    let table = SweepTable::new(&sweep, &base, sweep.run_all());
    assert_eq!(printed, serde_json::to_value(&table).unwrap());
    assert_eq!(printed["points"].as_array().map(Vec::len), Some(3));
    let csv = ripple_sim(&[&args[..], &["--csv"]].concat());
    assert!(csv.status.success(), "{}", stderr_line(&csv));
    assert_eq!(String::from_utf8_lossy(&csv.stdout), table.to_csv());
}

#[test]
fn bad_sweeps_exit_2_naming_the_field() {
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "--sweep",
                "sync.nope=1..2",
                "--points",
                "3",
                "--preset",
                "signup",
            ],
            "sweep.path: `sync.nope` is not one of",
        ),
        (
            &[
                "--sweep",
                "sync.timeout_ms=1..2",
                "--points",
                "99",
                "--preset",
                "signup",
            ],
            "sweep.points:",
        ),
        (
            &[
                "--sweep",
                "sync.timeout_ms=0..2",
                "--points",
                "3",
                "--preset",
                "signup",
            ],
            "sweep.from: sync.timeout_ms:",
        ),
        (
            &[
                "--sweep",
                "sync.timeout_ms",
                "--points",
                "3",
                "--preset",
                "signup",
            ],
            "is not a sweep: write PATH=FROM..TO",
        ),
        (
            &["--sweep", "sync.timeout_ms=1..2", "--preset", "signup"],
            "--sweep and --points go together",
        ),
        (&["--preset", "signup", "--csv"], "--csv goes with --sweep"),
    ];
    for (args, expected) in cases {
        let output = ripple_sim(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let line = stderr_line(&output);
        assert!(line.contains(expected), "{args:?}: {line}");
        assert_eq!(line.lines().count(), 1, "{line}");
    }
}
