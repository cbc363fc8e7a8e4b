//! The console's static files, with every unknown path answered by `index.html` so the
//! console's own router handles deep links and reloads.

use axum::response::Html;
use axum::routing::{MethodRouter, get};
use std::path::Path;
use tower_http::services::{ServeDir, ServeFile};

pub fn service(dir: &Path) -> MethodRouter {
    let index = dir.join("index.html");
    if index.is_file() {
        get_service_with_fallback(dir, &index)
    } else {
        tracing::warn!(dir = %dir.display(), "console not built: serving a notice instead");
        get(|| async {
            Html(
                "<!doctype html><title>Orderly</title><h1>Orderly</h1>\
                 <p>The console has not been built. Run <code>cargo xtask demo</code>, \
                 or set <code>ORDERLY_CONSOLE_DIR</code>. The API is at <a href=\"/graphql\">/graphql</a>.</p>",
            )
        })
    }
}

fn get_service_with_fallback(dir: &Path, index: &Path) -> MethodRouter {
    axum::routing::get_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
}
