//! The still pictures index.html shows before the app starts are today's default preset, drawn now.

use ripple::live::DEFAULT_PRESET;
use ripple::live::first_paint::{Arrangement, still_svg};
use ripple::sim::presets::preset;
use std::path::{Path, PathBuf};

fn shipped(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(file)
}

/// The `width height` of a picture's viewBox.
fn size(svg: &str) -> (&str, &str) {
    svg.split("viewBox=\"0 0 ")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|wh| wh.split_once(' '))
        .expect("the picture has a viewBox")
}

/// index.html shows `public/first-paint*.svg` before the app starts; each must be today's
/// default preset drawn with today's layout, or the page would jump when the app takes over.
/// `RIPPLE_BLESS=1` rewrites them; look at them before committing.
#[test]
fn the_shipped_first_paint_is_the_default_preset_drawn_now() {
    let scenario = preset(DEFAULT_PRESET).expect("the default preset exists");
    let index = std::fs::read_to_string(shipped("index.html")).expect("index.html is readable");
    assert!(index.contains("id=\"first-paint\""));
    for arrangement in Arrangement::ALL {
        let path = shipped(&format!("public/{}", arrangement.file()));
        let drawn = still_svg(&scenario, arrangement);
        if std::env::var_os("RIPPLE_BLESS").is_some() {
            std::fs::write(&path, &drawn).expect("public/ is writable");
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == drawn,
            "{} is out of step with the default preset; rerun with RIPPLE_BLESS=1 and look at it",
            path.display()
        );
        // The page reserves the picture's shape, so nothing moves when it arrives.
        let (width, height) = size(&drawn);
        let tag = format!(
            "{}=\"{}\" width=\"{width}\" height=\"{height}\"",
            if arrangement == Arrangement::SideBySide {
                "src"
            } else {
                "srcset"
            },
            arrangement.file()
        );
        assert!(index.contains(&tag), "index.html must read {tag}");
    }
}
