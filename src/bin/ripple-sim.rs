//! `ripple-sim`: runs a scenario headless on the same core as the browser and prints a JSON report.
//!
//! Usage: `ripple-sim FILE.json [--seed N] [--duration-ms N] [--trace FILE]`,
//! `ripple-sim --preset NAME [...]`, `ripple-sim --list-presets`,
//! `ripple-sim --check EXERCISE.json [--solution SETTINGS.json] [--seed N] [--lang TAG]` or
//! `ripple-sim --list-exercises`.
//! A check prints the verdict and exits 0 on pass, 1 on fail; `--lang zh-Hant` or `ja`
//! words the verdict and any refusal of the files for a workshop in that language.
//! `ripple-sim --sweep PATH=FROM..TO --points N (FILE.json | --preset NAME) [--csv]` runs the
//! scenario at N values of one parameter, in both worlds, and prints the table with its
//! knees as JSON (or the table as CSV): the same numbers the page's sweep panel shows.
//! `--why` prints the run's causes (why it failed, per world) as sentences instead of the
//! report, in English or the `--lang` given.
//! Bad input of any kind exits with code 2 and one line naming what is wrong.

use ripple::i18n::{Locale, condition_line, unknown_language, verdict_headline};
use ripple::live::why;
use ripple::sim::exercise::{Exercise, Settings, Verdict};
use ripple::sim::sweep::{Sweep, SweepSpec, SweepTable};
use ripple::sim::trace::World;
use ripple::sim::{Scenario, ScenarioError, SimTime, Simulation, exercises, presets};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: ripple-sim FILE.json [--seed N] [--duration-ms N] [--trace FILE] [--why [--lang en|zh-Hant|ja]]\n       ripple-sim --preset NAME [--seed N] [--duration-ms N] [--trace FILE] [--why [--lang en|zh-Hant|ja]]\n       ripple-sim --sweep PATH=FROM..TO --points N (FILE.json | --preset NAME) [--seed N] [--duration-ms N] [--csv]\n       ripple-sim --list-presets\n       ripple-sim --check EXERCISE.json|NAME [--solution SETTINGS.json] [--seed N] [--lang en|zh-Hant|ja]\n       ripple-sim --list-exercises";

/// What one run of the command does.
#[derive(Debug)]
enum Mode {
    /// Runs a scenario and prints its report.
    Run {
        source: Source,
        seed: Option<u64>,
        duration_ms: Option<u64>,
        trace: Option<String>,
        /// Prints why it failed, in this language, instead of the JSON report.
        why: Option<Locale>,
    },
    /// Runs a scenario at each point of a sweep and prints the table.
    Sweep {
        source: Source,
        seed: Option<u64>,
        duration_ms: Option<u64>,
        range: String,
        points: u32,
        csv: bool,
    },
    ListPresets,
    /// Judges an exercise (a file or a shipped name), with the learner's settings if given.
    Check {
        exercise: String,
        solution: Option<String>,
        seed: Option<u64>,
        /// The verdict's language; None prints the plain English PASS/FAIL form.
        lang: Option<Locale>,
    },
    ListExercises,
}

/// Where a run's scenario comes from.
#[derive(Debug)]
enum Source {
    File(String),
    Preset(String),
}

/// The flags as given, before they are checked to form one [`Mode`].
#[derive(Debug, Default)]
struct Flags {
    file: Option<String>,
    preset: Option<String>,
    list_presets: bool,
    check: Option<String>,
    solution: Option<String>,
    list_exercises: bool,
    seed: Option<u64>,
    duration_ms: Option<u64>,
    trace: Option<String>,
    lang: Option<Locale>,
    why: bool,
    sweep: Option<String>,
    points: Option<u32>,
    csv: bool,
}

fn parse_number(flag: &str, value: &str) -> Result<u64, String> {
    value.parse::<u64>().map_err(|_| {
        format!(
            "{flag}: `{value}` is not a whole number from 0 to {}",
            u64::MAX
        )
    })
}

/// The value after `flag`, or `missing` when there is none.
fn value(parser: &mut lexopt::Parser, flag: &str, missing: &str) -> Result<String, String> {
    match parser.value() {
        Ok(value) => value
            .into_string()
            .map_err(|_| format!("{flag}: the value is not UTF-8 text")),
        Err(_) => Err(missing.to_string()),
    }
}

fn parse_flags(args: impl IntoIterator<Item = String>) -> Result<Flags, String> {
    use lexopt::Arg::{Long, Short, Value};
    let mut flags = Flags::default();
    let mut parser = lexopt::Parser::from_iter(std::iter::once(String::new()).chain(args));
    while let Some(arg) = parser.next().map_err(|e| format!("{e}\n{USAGE}"))? {
        match arg {
            Short('h') | Long("help") => return Err(USAGE.to_string()),
            Long("list-presets") => flags.list_presets = true,
            Long("list-exercises") => flags.list_exercises = true,
            Long("why") => flags.why = true,
            Long("csv") => flags.csv = true,
            Long("sweep") => {
                let missing =
                    "--sweep needs PATH=FROM..TO, as in workload.arrivals.rate_per_s=10..200";
                flags.sweep = Some(value(&mut parser, "--sweep", missing)?);
            }
            Long("points") => {
                let text = value(
                    &mut parser,
                    "--points",
                    "--points needs a number from 2 to 50",
                )?;
                let points = parse_number("--points", &text)?;
                flags.points = Some(u32::try_from(points).unwrap_or(u32::MAX));
            }
            Long("check") => {
                let missing = "--check needs an exercise file or name (see --list-exercises)";
                flags.check = Some(value(&mut parser, "--check", missing)?);
            }
            Long("solution") => {
                let missing = "--solution needs a settings file";
                flags.solution = Some(value(&mut parser, "--solution", missing)?);
            }
            Long("preset") => {
                let missing = "--preset needs a name (see --list-presets)";
                flags.preset = Some(value(&mut parser, "--preset", missing)?);
            }
            Long("seed") => {
                let text = value(&mut parser, "--seed", "--seed needs a value")?;
                flags.seed = Some(parse_number("--seed", &text)?);
            }
            Long("duration-ms") => {
                let text = value(&mut parser, "--duration-ms", "--duration-ms needs a value")?;
                flags.duration_ms = Some(parse_number("--duration-ms", &text)?);
            }
            Long("trace") => {
                flags.trace = Some(value(&mut parser, "--trace", "--trace needs a file name")?);
            }
            Long("lang") => {
                let tag = value(&mut parser, "--lang", "--lang needs en, zh-Hant or ja")?;
                let locale = Locale::from_tag(&tag)
                    .ok_or_else(|| format!("--lang: {}", unknown_language(&tag)))?;
                flags.lang = Some(locale);
            }
            Long(flag) => return Err(format!("unknown option --{flag}\n{USAGE}")),
            Short(flag) => return Err(format!("unknown option -{flag}\n{USAGE}")),
            Value(file) => {
                let file = file.to_string_lossy().into_owned();
                if flags.file.replace(file).is_some() {
                    return Err(format!("give one scenario file, not several\n{USAGE}"));
                }
            }
        }
    }
    Ok(flags)
}

/// The one mode the flags ask for, or why they do not make one.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Mode, String> {
    let flags = parse_flags(args)?;
    let sources = u8::from(flags.file.is_some())
        + u8::from(flags.preset.is_some())
        + u8::from(flags.list_presets)
        + u8::from(flags.check.is_some())
        + u8::from(flags.list_exercises);
    if sources != 1 {
        return Err(format!(
            "give exactly one of FILE.json, --preset NAME, --list-presets, --check EXERCISE or --list-exercises\n{USAGE}"
        ));
    }
    if flags.solution.is_some() && flags.check.is_none() {
        return Err("--solution goes with --check".to_string());
    }
    if flags.why && (flags.check.is_some() || flags.list_presets || flags.list_exercises) {
        return Err("--why goes with a run: FILE.json or --preset NAME".to_string());
    }
    if flags.sweep.is_some() != flags.points.is_some() {
        return Err(
            "--sweep and --points go together: --sweep PATH=FROM..TO --points N".to_string(),
        );
    }
    if flags.csv && flags.sweep.is_none() {
        return Err("--csv goes with --sweep".to_string());
    }
    let runs = flags.file.is_some() || flags.preset.is_some();
    if flags.sweep.is_some() && (!runs || flags.why || flags.trace.is_some()) {
        return Err(
            "--sweep runs FILE.json or --preset NAME; --why and --trace do not apply".to_string(),
        );
    }
    if flags.lang.is_some() && flags.check.is_none() && !flags.why {
        // Reports are JSON for programs; only a verdict and the causes are read by people.
        return Err("--lang goes with --check or --why".to_string());
    }
    if flags.check.is_some() && (flags.trace.is_some() || flags.duration_ms.is_some()) {
        return Err(
            "--check runs the exercise as written: --trace and --duration-ms do not apply"
                .to_string(),
        );
    }
    Ok(mode_of(flags))
}

/// The mode of flags already checked to name exactly one.
fn mode_of(flags: Flags) -> Mode {
    if flags.list_presets {
        return Mode::ListPresets;
    }
    if flags.list_exercises {
        return Mode::ListExercises;
    }
    if let Some(exercise) = flags.check {
        return Mode::Check {
            exercise,
            solution: flags.solution,
            seed: flags.seed,
            lang: flags.lang,
        };
    }
    let source = match (flags.preset, flags.file) {
        (Some(name), _) => Source::Preset(name),
        (None, file) => Source::File(file.unwrap_or_default()),
    };
    if let (Some(range), Some(points)) = (flags.sweep, flags.points) {
        return Mode::Sweep {
            source,
            seed: flags.seed,
            duration_ms: flags.duration_ms,
            range,
            points,
            csv: flags.csv,
        };
    }
    Mode::Run {
        source,
        seed: flags.seed,
        duration_ms: flags.duration_ms,
        trace: flags.trace,
        why: flags.why.then(|| flags.lang.unwrap_or_default()),
    }
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
fn check(
    source: &str,
    solution: Option<&str>,
    seed: Option<u64>,
    lang: Option<Locale>,
) -> ExitCode {
    let verdict = load_exercise(source, lang).and_then(|mut exercise| {
        if let Some(seed) = seed {
            exercise.scenario.seed = seed;
        }
        let settings = load_settings(solution, lang)?;
        let verdict = exercise
            .check(&settings)
            .map_err(|e| refusal(lang, source, e))?;
        Ok((exercise.name, verdict))
    });
    match verdict {
        Ok((name, verdict)) => {
            let code = print_stdout(&verdict_text(&name, &verdict, lang));
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

fn load_scenario(
    source: &Source,
    seed: Option<u64>,
    duration_ms: Option<u64>,
) -> Result<Scenario, String> {
    let mut scenario = match source {
        Source::Preset(name) => presets::preset(name).ok_or_else(|| {
            let known: Vec<&str> = presets::PRESETS.iter().map(|(n, _)| *n).collect();
            format!(
                "--preset: no preset named `{name}` (known: {})",
                known.join(", ")
            )
        })?,
        Source::File(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
            Scenario::from_json(&text).map_err(|e| format!("{path}: {e}"))?
        }
    };
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    if let Some(duration_ms) = duration_ms {
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
    let mode = match parse_args(std::env::args().skip(1)) {
        Ok(mode) => mode,
        Err(message) => {
            eprintln!("ripple-sim: {message}");
            return ExitCode::from(2);
        }
    };
    match mode {
        Mode::ListPresets => print_stdout(&listing(presets::PRESETS, |json| {
            Scenario::from_json(json).map(|s| s.description).ok()
        })),
        Mode::ListExercises => print_stdout(&listing(exercises::EXERCISES, |json| {
            Exercise::from_json(json)
                .map(|e| e.title.get(ripple::text::Lang::En).to_string())
                .ok()
        })),
        Mode::Check {
            exercise,
            solution,
            seed,
            lang,
        } => check(&exercise, solution.as_deref(), seed, lang),
        Mode::Run {
            source,
            seed,
            duration_ms,
            trace,
            why,
        } => report(&source, seed, duration_ms, trace.as_deref(), why),
        Mode::Sweep {
            source,
            seed,
            duration_ms,
            range,
            points,
            csv,
        } => sweep(&source, seed, duration_ms, (&range, points), csv),
    }
}

/// Runs a sweep and prints its table: 0 on success, 2 on bad input.
fn sweep(
    source: &Source,
    seed: Option<u64>,
    duration_ms: Option<u64>,
    (range, points): (&str, u32),
    csv: bool,
) -> ExitCode {
    let table = load_scenario(source, seed, duration_ms).and_then(|base| {
        let spec = SweepSpec::parse(range, points).map_err(|e| e.to_string())?;
        let sweep = Sweep::new(&base, spec).map_err(|e| e.to_string())?;
        Ok(SweepTable::new(&sweep, &base, sweep.run_all()))
    });
    match table {
        Ok(table) if csv => print_stdout(&table.to_csv()),
        Ok(table) => {
            let json = serde_json::to_string_pretty(&table).expect("tables always serialise");
            print_stdout(&format!("{json}\n"))
        }
        Err(message) => {
            eprintln!("ripple-sim: {}", message.lines().next().unwrap_or_default());
            ExitCode::from(2)
        }
    }
}

/// `name<TAB>summary` for each shipped item.
fn listing(items: &[(&str, &str)], summary: impl Fn(&str) -> Option<String>) -> String {
    items
        .iter()
        .map(|(name, json)| format!("{name}\t{}\n", summary(json).unwrap_or_default()))
        .collect()
}

/// Runs a scenario and prints its report: 0 on success, 2 on bad input.
fn report(
    source: &Source,
    seed: Option<u64>,
    duration_ms: Option<u64>,
    trace: Option<&str>,
    why: Option<Locale>,
) -> ExitCode {
    let result = load_scenario(source, seed, duration_ms).and_then(|scenario| run(scenario, trace));
    match result {
        Ok(sim) if why.is_some() => print_stdout(&causes_text(&sim, why.unwrap_or_default())),
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

/// Why it failed, per world, one cause a line in time order, in `locale`'s words.
fn causes_text(sim: &Simulation, locale: Locale) -> String {
    let mut text = String::new();
    for world in World::BOTH {
        text.push_str(&format!("{}\n", why::world_label(locale, world)));
        let mut causes = sim.causes().of(world).peekable();
        if causes.peek().is_none() {
            text.push_str(&format!("  {}\n", locale_none(locale)));
        }
        for cause in causes {
            text.push_str(&format!("  - {}\n", why::paragraph(locale, cause)));
        }
    }
    text
}

fn locale_none(locale: Locale) -> &'static str {
    ripple::text::text(locale, "why", "none")
}
