//! The `orderly` binary: see `orderly --help`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    orderly::cli::run().await
}
