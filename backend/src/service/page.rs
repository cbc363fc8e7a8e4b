//! Keyset pagination over UUIDv7 ids (time-ordered, so "after this id" is a stable cursor that
//! new rows never shift). Cursors are opaque to clients.

use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

pub const DEFAULT_PAGE: u64 = 50;
pub const MAX_PAGE: u64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<Uuid>,
}

impl PageRequest {
    /// Validates GraphQL `first`/`after` arguments.
    pub fn parse(first: Option<i32>, after: Option<&str>) -> AppResult<PageRequest> {
        let first = match first {
            None => DEFAULT_PAGE,
            Some(n) if n >= 1 && (n as u64) <= MAX_PAGE => n as u64,
            Some(n) => {
                return Err(AppError::invalid(
                    "first",
                    "OUT_OF_RANGE",
                    format!("must be between 1 and {MAX_PAGE} (got {n})"),
                ));
            }
        };
        let after = after
            .map(|c| {
                decode_cursor(c).ok_or_else(|| {
                    AppError::invalid(
                        "after",
                        "INVALID_CURSOR",
                        "is not a cursor this list gave out",
                    )
                })
            })
            .transpose()?;
        Ok(PageRequest { first, after })
    }
}

/// One page of items, fetched with one extra row to know whether more follow.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Builds a page from `first + 1` fetched rows.
    pub fn from_overfetch(mut rows: Vec<T>, first: u64) -> Page<T> {
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        Page {
            items: rows,
            has_next,
        }
    }
}

pub fn encode_cursor(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn decode_cursor(cursor: &str) -> Option<Uuid> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    Uuid::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_validation_error() {
        let id = Uuid::now_v7();
        let req = PageRequest::parse(Some(10), Some(&encode_cursor(id))).unwrap();
        assert_eq!(
            req,
            PageRequest {
                first: 10,
                after: Some(id)
            }
        );
        assert!(matches!(
            PageRequest::parse(None, Some("zz")),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            PageRequest::parse(Some(0), None),
            Err(AppError::Validation(_))
        ));
        assert!(matches!(
            PageRequest::parse(Some(101), None),
            Err(AppError::Validation(_))
        ));
        assert_eq!(PageRequest::parse(None, None).unwrap().first, DEFAULT_PAGE);
    }

    #[test]
    fn overfetching_one_row_tells_whether_more_follow() {
        let page = Page::from_overfetch(vec![1, 2, 3], 2);
        assert_eq!((page.items, page.has_next), (vec![1, 2], true));
        let page = Page::from_overfetch(vec![1, 2], 2);
        assert!(!page.has_next);
    }
}
