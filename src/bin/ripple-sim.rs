//! `ripple-sim`: runs a scenario headless on the same core as the browser and prints a JSON report.
//!
//! Usage: `ripple-sim FILE.json [--seed N] [--duration-ms N] [--trace FILE]`,
//! `ripple-sim --preset NAME [...]`, `ripple-sim --list-presets`,
//! `ripple-sim --check EXERCISE.json [--solution SETTINGS.json] [--seed N] [--lang TAG]` or
//! `ripple-sim --list-exercises`.
//! A check prints the verdict and exits 0 on pass, 1 on fail; `--lang zh-Hant` or `ja`
//! words the verdict and any refusal of the files for a workshop in that language.
//! Bad input of any kind exits with code 2 and one line naming what is wrong.

use ripple::i18n::{Locale, condition_line, unknown_language, verdict_headline};
use ripple::sim::exercise::{Exercise, Settings, Verdict};
use ripple::sim::{Scenario, ScenarioError, SimTime, Simulation, exercises, presets};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: ripple-sim FILE.json [--seed N] [--duration-ms N] [--trace FILE]\n       ripple-sim --preset NAME [--seed N] [--duration-ms N] [--trace FILE]\n       ripple-sim --list-presets\n       ripple-sim --check EXERCISE.json|NAME [--solution SETTINGS.json] [--seed N] [--lang en|zh-Hant|ja]\n       ripple-sim --list-exercises";

/// What the command line asked for.
#[derive(Debug, Default)]
struct Options {
    file: Option<String>,
    preset: Option<String>,
    list_presets: bool,
    check: Option<String>,
    solution: Option<String>,
    list_exercises: bool,
    seed: Option<u64>,
    duration_ms: Option<u64>,
    trace: Option<String>,
    /// The language of a check's verdict; None prints the plain English PASS/FAIL form.
    lang: Option<Locale>,
}

fn parse_number(flag: &str, value: Option<String>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value.parse::<u64>().map_err(|_| {
        format!(
            "{flag}: `{value}` is not a whole number from 0 to {}",
            u64::MAX
        )
    })
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--help" | "-h" => return Err(USAGE.to_string()),
            "--list-presets" => options.list_presets = true,
            "--list-exercises" => options.list_exercises = true,
            "--check" => {
                options.check = Some(
                    args.next()
                        .ok_or("--check needs an exercise file or name (see --list-exercises)")?,
                )
            }
            "--solution" => {
                options.solution = Some(args.next().ok_or("--solution needs a settings file")?)
            }
            "--preset" => {
                options.preset = Some(
                    args.next()
                        .ok_or("--preset needs a name (see --list-presets)")?,
                )
            }
            "--seed" => options.seed = Some(parse_number("--seed", args.next())?),
            "--duration-ms" => {
                options.duration_ms = Some(parse_number("--duration-ms", args.next())?)
            }
            "--trace" => options.trace = Some(args.next().ok_or("--trace needs a file name")?),
            "--lang" => {
                let tag = args.next().ok_or("--lang needs en, zh-Hant or ja")?;
                options.lang = Some(
                    Locale::from_tag(&tag)
                        .ok_or_else(|| format!("--lang: {}", unknown_language(&tag)))?,
                );
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{USAGE}")),
            file => {
                if options.file.replace(file.to_string()).is_some() {
                    return Err(format!("give one scenario file, not several\n{USAGE}"));
                }
            }
        }
    }
    let sources = u8::from(options.file.is_some())
        + u8::from(options.preset.is_some())
        + u8::from(options.list_presets)
        + u8::from(options.check.is_some())
        + u8::from(options.list_exercises);
    if sources != 1 {
        return Err(format!(
            "give exactly one of FILE.json, --preset NAME, --list-presets, --check EXERCISE or --list-exercises\n{USAGE}"
        ));
    }
    if options.solution.is_some() && options.check.is_none() {
        return Err("--solution goes with --check".to_string());
    }
    if options.lang.is_some() && options.check.is_none() {
        // Reports are JSON for programs; only a check's verdict is read by people.
        return Err("--lang goes with --check".to_string());
    }
    if options.check.is_some() && (options.trace.is_some() || options.duration_ms.is_some()) {
        return Err(
            "--check runs the exercise as written: --trace and --duration-ms do not apply"
                .to_string(),
        );
    }
    Ok(options)
}

/// A refusal from the core, in the check's language (English by default).
fn refusal(locale: Option<Locale>, source: &str, error: ScenarioError) -> String {
    let error = error.within(source, ": ");
    let reason = locale.unwrap_or_default().problem(&error.problem);
    format!("{}: {reason}", error.field)
}

/// The verdict as printed: the plain English form, or the workshop's words in `locale`.
fn verdict_text(name: &str, verdict: &Verdict, locale: Option<Locale>) -> String {
    let Some(locale) = locale else {
        return format!("{name}: {verdict}");
    };
    let mut text = format!(
        "{name}: {}\n",
        verdict_headline(locale, &verdict.conditions)
    );
    for condition in &verdict.conditions {
        text.push_str(&format!("  {}\n", condition_line(locale, condition)));
    }
    text
}

/// An exercise from a file, or a shipped one by name.
fn load_exercise(source: &str, locale: Option<Locale>) -> Result<Exercise, String> {
    let text = match std::fs::read_to_string(source) {
        Ok(text) => text,
        Err(e) => match exercises::source(source) {
            Some(text) => text.to_string(),
            None => {
                return Err(format!(
                    "--check {source}: cannot read: {e}, and no shipped exercise has that name"
                ));
            }
        },
    };
    Exercise::from_json(&text).map_err(|e| refusal(locale, source, e))
}

fn load_settings(path: Option<&str>, locale: Option<Locale>) -> Result<Settings, String> {
    let Some(path) = path else {
        return Ok(Settings::new());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--solution {path}: cannot read: {e}"))?;
    Exercise::settings_from_json(&text).map_err(|e| refusal(locale, path, e))
}

/// Judges an exercise: 0 pass, 1 fail, 2 bad input.
fn check(options: &Options) -> ExitCode {
    let source = options.check.as_deref().unwrap_or_default();
    let verdict = load_exercise(source, options.lang).and_then(|mut exercise| {
        if let Some(seed) = options.seed {
            exercise.scenario.seed = seed;
        }
        let settings = load_settings(options.solution.as_deref(), options.lang)?;
        let verdict = exercise
            .check(&settings)
            .map_err(|e| refusal(options.lang, source, e))?;
        Ok((exercise.name, verdict))
    });
    match verdict {
        Ok((name, verdict)) => {
            let code = print_stdout(&verdict_text(&name, &verdict, options.lang));
            if code != ExitCode::SUCCESS {
                code
            } else if verdict.passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => {
            eprintln!("ripple-sim: {}", message.lines().next().unwrap_or_default());
            ExitCode::from(2)
        }
    }
}

fn load_scenario(options: &Options) -> Result<Scenario, String> {
    let mut scenario = if let Some(name) = &options.preset {
        presets::preset(name).ok_or_else(|| {
            let known: Vec<&str> = presets::PRESETS.iter().map(|(n, _)| *n).collect();
            format!(
                "--preset: no preset named `{name}` (known: {})",
                known.join(", ")
            )
        })?
    } else {
        let path = options.file.as_deref().unwrap_or_default();
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
        Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))?
    };
    if let Some(seed) = options.seed {
        scenario.seed = seed;
    }
    if let Some(duration_ms) = options.duration_ms {
        scenario.duration_ms = duration_ms;
    }
    scenario.validate().map_err(|e| format!("{e}"))?;
    Ok(scenario)
}

/// Runs to the end, streaming every trace event to `trace` as JSON lines if asked.
fn run(scenario: Scenario, trace_path: Option<&str>) -> Result<Simulation, String> {
    let mut sim = Simulation::new(scenario).map_err(|e| e.to_string())?;
    let Some(path) = trace_path else {
        sim.run_to_end();
        return Ok(sim);
    };
    let file =
        std::fs::File::create(path).map_err(|e| format!("--trace {path}: cannot create: {e}"))?;
    let mut out = BufWriter::new(file);
    let mut cursor = 0;
    let end = sim.end();
    let drain = |sim: &Simulation,
                 cursor: &mut u64,
                 out: &mut BufWriter<std::fs::File>|
     -> Result<(), String> {
        let (events, next) = sim.trace().since(*cursor);
        for event in events {
            serde_json::to_writer(&mut *out, event).map_err(|e| format!("--trace {path}: {e}"))?;
            out.write_all(b"\n")
                .map_err(|e| format!("--trace {path}: {e}"))?;
        }
        *cursor = next;
        Ok(())
    };
    // At the highest allowed arrival rate a millisecond holds a few thousand events,
    // far below the ring's capacity, so draining once per slice loses nothing.
    let slice = SimTime::from_ms(1);
    while sim.now() < end {
        sim.run_until((sim.now() + slice).min(end));
        drain(&sim, &mut cursor, &mut out)?;
    }
    out.flush().map_err(|e| format!("--trace {path}: {e}"))?;
    Ok(sim)
}

/// Writes to stdout; a reader that went away (`| head`) is not an error worth a panic.
fn print_stdout(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ripple-sim: stdout: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("ripple-sim: {message}");
            return ExitCode::from(2);
        }
    };
    if options.list_presets {
        let listing: String = presets::PRESETS
            .iter()
            .map(|(name, json)| {
                let description = Scenario::from_json(json)
                    .map(|s| s.description)
                    .unwrap_or_default();
                format!("{name}\t{description}\n")
            })
            .collect();
        return print_stdout(&listing);
    }
    if options.list_exercises {
        let listing: String = exercises::EXERCISES
            .iter()
            .map(|(name, json)| {
                let title = Exercise::from_json(json)
                    .map(|e| e.title.get("en").to_string())
                    .unwrap_or_default();
                format!("{name}\t{title}\n")
            })
            .collect();
        return print_stdout(&listing);
    }
    if options.check.is_some() {
        return check(&options);
    }
    let result =
        load_scenario(&options).and_then(|scenario| run(scenario, options.trace.as_deref()));
    match result {
        Ok(sim) => {
            let report =
                serde_json::to_string_pretty(&sim.report()).expect("reports always serialise");
            print_stdout(&format!("{report}\n"))
        }
        Err(message) => {
            eprintln!("ripple-sim: {}", message.lines().next().unwrap_or_default());
            ExitCode::from(2)
        }
    }
}
