//! Entry point of the browser app: it starts the UI (which mounts once its words arrive) and nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    ripple::ui::start();
}

// Cargo builds every binary for native tests too; natively this one only points
// people at the right command.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "ripple: the app runs in the browser. Use `make serve`, or `ripple-sim` for the headless simulator."
    );
    std::process::exit(2);
}
