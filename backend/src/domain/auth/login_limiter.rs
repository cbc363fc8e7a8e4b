//! Counts failed sign-ins per account and per client address in a sliding window, so password
//! guessing is refused (RATE_LIMITED) long before it can succeed. Time is passed in, which keeps
//! the rule testable without sleeping.
//!
//! The counts live in this process: with several replicas an attacker gets each replica's
//! allowance, which still bounds guessing to a handful per window per replica.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked keys, stale entries are swept so the map cannot grow without bound.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Account { retry_after: Duration },
    Address { retry_after: Duration },
}

#[derive(Debug)]
pub struct LoginLimiter {
    per_account: u32,
    per_address: u32,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(per_account: u32, per_address: u32, window: Duration) -> Self {
        LoginLimiter {
            per_account,
            per_address,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a sign-in attempt may proceed now.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Refusal> {
        let mut map = self.lock();
        if let Some(retry_after) =
            self.blocked(&mut map, &account_key(account), self.per_account, now)
        {
            return Err(Refusal::Account { retry_after });
        }
        if let Some(retry_after) =
            self.blocked(&mut map, &address_key(address), self.per_address, now)
        {
            return Err(Refusal::Address { retry_after });
        }
        Ok(())
    }

    pub fn record_failure(&self, account: &str, address: &str, now: Instant) {
        let mut map = self.lock();
        if map.len() > SWEEP_ABOVE {
            let window = self.window;
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        for key in [account_key(account), address_key(address)] {
            map.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        self.lock().remove(&account_key(account));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A poisoned lock only means another thread panicked mid-update of counters; keep going.
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn blocked(
        &self,
        map: &mut HashMap<String, VecDeque<Instant>>,
        key: &str,
        limit: u32,
        now: Instant,
    ) -> Option<Duration> {
        let queue = map.get_mut(key)?;
        while queue
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            queue.pop_front();
        }
        if queue.len() >= limit as usize {
            let oldest = *queue.front()?;
            Some(self.window.saturating_sub(now.duration_since(oldest)))
        } else {
            None
        }
    }
}

fn account_key(account: &str) -> String {
    format!("acct:{}", account.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn an_account_is_refused_after_its_failures_until_the_window_passes() {
        let limiter = LoginLimiter::new(3, 100, 10 * MIN);
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(
                limiter.check("Ann@x.example", "1.1.1.1", t0).is_ok(),
                "attempt {i}"
            );
            limiter.record_failure("ann@x.example", "1.1.1.1", t0);
        }
        // Another address, same account (case-insensitive): still refused.
        let refusal = limiter
            .check("ANN@x.example", "2.2.2.2", t0 + MIN)
            .unwrap_err();
        assert_eq!(
            refusal,
            Refusal::Account {
                retry_after: 9 * MIN
            }
        );
        assert!(
            limiter
                .check("ann@x.example", "2.2.2.2", t0 + 10 * MIN)
                .is_ok()
        );
    }

    #[test]
    fn an_address_is_refused_after_failures_across_many_accounts() {
        let limiter = LoginLimiter::new(100, 4, 10 * MIN);
        let t0 = Instant::now();
        for i in 0..4 {
            limiter.record_failure(&format!("u{i}@x.example"), "9.9.9.9", t0);
        }
        assert!(matches!(
            limiter.check("new@x.example", "9.9.9.9", t0),
            Err(Refusal::Address { .. })
        ));
        assert!(limiter.check("new@x.example", "8.8.8.8", t0).is_ok());
    }

    #[test]
    fn success_clears_the_accounts_failures() {
        let limiter = LoginLimiter::new(2, 100, 10 * MIN);
        let t0 = Instant::now();
        limiter.record_failure("a@x.example", "1.1.1.1", t0);
        limiter.record_success("a@x.example");
        limiter.record_failure("a@x.example", "1.1.1.1", t0);
        assert!(limiter.check("a@x.example", "1.1.1.1", t0).is_ok());
    }
}
