//! Keeps the shipped console small: the optimised WebAssembly build is linked without its
//! `name` section (function names for debuggers), which is about 40 % of the gzipped file.
//! Panic messages keep their text and source location; only symbolised stack traces go.
//! Debug builds and native test builds keep everything.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    let optimised = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    if target.starts_with("wasm32-") && optimised {
        println!("cargo:rustc-link-arg-cdylib=--strip-debug");
    }
}
