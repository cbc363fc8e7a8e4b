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
