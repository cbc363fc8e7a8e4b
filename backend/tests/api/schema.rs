//! The schema is a contract with partners and the console: changes to it must be deliberate.
//! Regenerate the snapshot with `UPDATE_SCHEMA=1 cargo test -p orderly --test api schema`.

#[test]
fn the_graphql_schema_matches_the_committed_snapshot() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let sdl = orderly::graphql::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok() {
        std::fs::write(&path, &sdl).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == sdl,
        "the GraphQL schema changed; review it and run with UPDATE_SCHEMA=1 to accept:\n{sdl}"
    );
}
