//! A list the server gives page by page: the rows read so far, whether there are more (for
//! [`LoadMore`](super::feedback::LoadMore)), and the last error. Reading the first page again
//! (a filter changed) drops any page still on its way for the old filter, so a slow answer can
//! never put rows of the wrong filter on screen.

use crate::api::ApiError;
use crate::api::types::Connection;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

type Fetch<T> =
    Rc<dyn Fn(Option<String>) -> Pin<Box<dyn Future<Output = Result<Connection<T>, ApiError>>>>>;

pub struct Paged<T: 'static> {
    pub rows: RwSignal<Vec<T>>,
    pub has_more: RwSignal<bool>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    cursor: RwSignal<Option<String>>,
    generation: StoredValue<u32>,
    fetch: StoredValue<Fetch<T>, LocalStorage>,
    key: fn(&T) -> &str,
}

impl<T> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Paged<T> {}

impl<T: Clone + Send + Sync + 'static> Paged<T> {
    /// `fetch` reads the page after a cursor (`None`: the first); `key` tells rows apart, so a
    /// row that moved between pages is not listed twice.
    pub fn new<F, Fut>(key: fn(&T) -> &str, fetch: F) -> Paged<T>
    where
        F: Fn(Option<String>) -> Fut + 'static,
        Fut: Future<Output = Result<Connection<T>, ApiError>> + 'static,
    {
        let fetch: Fetch<T> = Rc::new(move |after| Box::pin(fetch(after)));
        Paged {
            rows: RwSignal::new(Vec::new()),
            has_more: RwSignal::new(false),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
            cursor: RwSignal::new(None),
            generation: StoredValue::new(0),
            fetch: StoredValue::new_local(fetch),
            key,
        }
    }

    /// Reads the first page; its rows replace the list.
    pub fn reload(self) {
        self.generation.update_value(|g| *g += 1);
        self.read(None);
    }

    /// Reads the next page; its rows go under those shown.
    pub fn more(self) {
        self.read(self.cursor.get_untracked());
    }

    /// Puts a row the server just returned in place of the listed one with its key; a new row
    /// goes last (where an oldest-first list has it) once every page is read, else on top, so
    /// it is seen.
    pub fn upsert(self, row: T) {
        let (key, complete) = (self.key, !self.has_more.get_untracked());
        self.rows
            .update(|list| match list.iter_mut().find(|r| key(r) == key(&row)) {
                Some(slot) => *slot = row,
                None if complete => list.push(row),
                None => list.insert(0, row),
            });
    }

    /// Whether nothing is listed and nothing is on its way (for the empty note).
    pub fn is_empty(self) -> bool {
        self.rows.with(Vec::is_empty) && !self.loading.get() && self.error.with(Option::is_none)
    }

    fn read(self, after: Option<String>) {
        let (Some(generation), Some(fetch)) =
            (self.generation.try_get_value(), self.fetch.try_get_value())
        else {
            return;
        };
        let first_page = after.is_none();
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            let result = fetch(after).await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            let key = self.key;
            match result {
                Ok(page) => {
                    let _ = self.rows.try_update(|list| {
                        if first_page {
                            list.clear();
                        }
                        for row in page.nodes {
                            if !list.iter().any(|r| key(r) == key(&row)) {
                                list.push(row);
                            }
                        }
                    });
                    let _ = self.cursor.try_set(page.page_info.end_cursor);
                    let _ = self.has_more.try_set(page.page_info.has_next_page);
                    let _ = self.error.try_set(None);
                }
                Err(e) => {
                    let _ = self.error.try_set(Some(e.message));
                }
            }
            let _ = self.loading.try_set(false);
        });
    }
}
