//! The still picture index.html shows before the app starts is today's default preset, drawn now.

use ripple::live::DEFAULT_PRESET;
use ripple::sim::presets::preset;

fn shipped_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public/first-paint.svg")
}

/// index.html shows `public/first-paint.svg` before the app starts; it must be today's
/// default preset drawn with today's layout, or the page would jump when the app takes over.
#[test]
fn the_shipped_first_paint_is_the_default_preset_drawn_now() {
    let scenario = preset(DEFAULT_PRESET).expect("the default preset exists");
    let drawn = ripple::live::first_paint::still_svg(&scenario);
    if std::env::var_os("RIPPLE_BLESS").is_some() {
        std::fs::write(shipped_path(), &drawn).expect("public/ is writable");
    }
    let shipped = std::fs::read_to_string(shipped_path()).unwrap_or_default();
    assert!(
        shipped == drawn,
        "public/first-paint.svg is out of step with the default preset; \
         rerun with RIPPLE_BLESS=1 and look at the picture"
    );
    // The <img> reserves the picture's shape, so nothing moves when it arrives.
    let index = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index.html"),
    )
    .expect("index.html is readable");
    let size = drawn
        .split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|wh| wh.split_once(' '))
        .expect("the picture has a viewBox");
    let img = format!(
        "src=\"first-paint.svg\" width=\"{}\" height=\"{}\"",
        size.0, size.1
    );
    assert!(index.contains(&img), "index.html's <img> must read {img}");
    assert!(index.contains("id=\"first-paint\""));
}
