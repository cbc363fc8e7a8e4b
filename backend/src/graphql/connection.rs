//! Relay connections built from keyset pages.

use crate::service::page::{Page, encode_cursor};
use async_graphql::OutputType;
use async_graphql::connection::{Connection, Edge};
use uuid::Uuid;

pub type Conn<N> = Connection<String, N>;

/// Wraps a page in a connection; `id` gives each item's cursor key.
pub fn connection<T, N: OutputType>(
    page: Page<T>,
    has_previous: bool,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
) -> Conn<N> {
    let mut conn = Connection::new(has_previous, page.has_next);
    conn.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(encode_cursor(id(&item)), node(item))),
    );
    conn
}

/// [`connection`] for nodes whose conversion can fail.
pub fn try_connection<T, N: OutputType>(
    page: Page<T>,
    has_previous: bool,
    id: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> async_graphql::Result<N>,
) -> async_graphql::Result<Conn<N>> {
    let mut conn = Connection::new(has_previous, page.has_next);
    for item in page.items {
        let cursor = encode_cursor(id(&item));
        conn.edges.push(Edge::new(cursor, node(item)?));
    }
    Ok(conn)
}
