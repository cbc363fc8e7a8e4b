//! Tabs between the pages of one area (the review queue and the risk settings, stock and
//! allocation). Each tab is a link, so a tab can be bookmarked and Back works; the router marks
//! the current one with `aria-current`.

use leptos::prelude::*;
use leptos_router::components::A;

/// One tab: where it leads and what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tab {
    pub path: &'static str,
    pub label: &'static str,
}

/// The tab bar; `tabs` are those the user's roles may open (one tab alone is not shown).
#[component]
pub fn Tabs(label: &'static str, tabs: Vec<Tab>) -> impl IntoView {
    (tabs.len() > 1).then(|| {
        view! {
            <nav class="tabs" aria-label=label>
                <ul>
                    {tabs
                        .into_iter()
                        .map(|tab| {
                            view! {
                                <li>
                                    <A href=tab.path exact=true>
                                        {tab.label}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}
