//! Following a work queue live: refund approvals, delivery exceptions, after-sales cases.

use crate::api::live::{self, LiveEvent};
use crate::api::ops;
use crate::components::status::LiveState;
use crate::session::use_auth;
use leptos::prelude::*;

/// Subscribes to `queueChanged(queue)` for as long as the calling component lives. `live` says
/// whether updates run; `on_change` runs for every event, and after a lost connection comes
/// back (events may have been missed). Pages read the queue again in it.
pub fn follow_queue(
    queue: &'static str,
    live: RwSignal<LiveState>,
    on_change: impl Fn() + 'static,
) {
    let auth = use_auth();
    let on_event = move |event: LiveEvent| match event {
        LiveEvent::Live { resumed } => {
            live.set(LiveState::Live);
            if resumed {
                on_change();
            }
        }
        LiveEvent::Reconnecting => live.set(LiveState::Reconnecting),
        LiveEvent::Failed(why) => live.set(LiveState::Failed(why)),
        LiveEvent::Data(_) => on_change(),
    };
    let subscription = live::subscribe(
        auth,
        ops::QUEUE_CHANGED,
        serde_json::json!({ "queue": queue }),
        on_event,
    );
    let subscription = StoredValue::new_local(Some(subscription));
    on_cleanup(move || {
        subscription.try_update_value(Option::take);
    });
}
