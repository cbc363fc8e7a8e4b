//! Reloads that coalesce. Live pages read data again whenever an event arrives; a burst of
//! events must cost one more read, not one read each.

/// A reload that coalesces: requests made while one runs are served by one more run after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    Idle,
    Running,
    RunningAgain,
}

impl Refresh {
    /// Asks for a reload; true when the caller should start one now.
    pub fn request(&mut self) -> bool {
        match self {
            Refresh::Idle => {
                *self = Refresh::Running;
                true
            }
            Refresh::Running | Refresh::RunningAgain => {
                *self = Refresh::RunningAgain;
                false
            }
        }
    }

    /// A reload finished; true when another should run now.
    pub fn finished(&mut self) -> bool {
        match self {
            Refresh::RunningAgain => {
                *self = Refresh::Running;
                true
            }
            _ => {
                *self = Refresh::Idle;
                false
            }
        }
    }
}

/// A reload that coalesces: `load` runs at once, and calls made while it runs cost one more run
/// after it, not one each. The answer is `Copy`, for every event handler and button of a page.
pub fn coalesced<F, Fut>(load: F) -> impl Fn() + Copy + 'static
where
    F: Fn() -> Fut + Copy + 'static,
    Fut: std::future::Future<Output = ()> + 'static,
{
    let state = leptos::prelude::StoredValue::new_local(Refresh::Idle);
    move || {
        use leptos::prelude::UpdateValue;
        if !state.try_update_value(|r| r.request()).unwrap_or(false) {
            return;
        }
        leptos::task::spawn_local(async move {
            loop {
                load().await;
                if !state.try_update_value(|r| r.finished()).unwrap_or(false) {
                    return;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reloads_asked_for_while_one_runs_collapse_into_one_more() {
        let mut r = Refresh::Idle;
        assert!(r.request());
        assert!(!r.request());
        assert!(!r.request());
        assert!(r.finished());
        assert!(!r.finished());
        assert_eq!(r, Refresh::Idle);
    }
}
