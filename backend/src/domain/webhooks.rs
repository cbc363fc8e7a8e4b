//! Partner webhooks: which endpoint addresses are accepted, and when a failed delivery is tried
//! again — exponential backoff for 24 hours, then it waits for a person to resend it.

use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::WebhookEventType;

/// How long deliveries are retried before they give up.
pub const RETRY_FOR: TimeDelta = TimeDelta::hours(24);
/// The first retry waits this long; each next one twice as long, up to [`MAX_DELAY`].
pub const FIRST_DELAY: TimeDelta = TimeDelta::seconds(10);
pub const MAX_DELAY: TimeDelta = TimeDelta::hours(1);
pub const MAX_URL: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("an endpoint is an https:// address (http:// only for this machine's loopback)")]
    NotHttps,
    #[error("the address has no host")]
    NoHost,
    #[error("at most {MAX_URL} characters, without spaces")]
    Malformed,
    #[error("subscribe to at least one event")]
    NoEvents,
    #[error("{0} is listed twice")]
    DuplicateEvent(WebhookEventType),
}

/// Checks an endpoint address.
pub fn check_url(url: &str) -> Result<(), WebhookError> {
    let url = url.trim();
    if url.len() > MAX_URL || url.chars().any(char::is_whitespace) {
        return Err(WebhookError::Malformed);
    }
    let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err(WebhookError::NotHttps);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.is_empty() || authority.contains('@') {
        return Err(WebhookError::NoHost);
    }
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "::1");
    if !https && !loopback {
        return Err(WebhookError::NotHttps);
    }
    Ok(())
}

/// Checks the events an endpoint subscribes to.
pub fn check_events(events: &[WebhookEventType]) -> Result<(), WebhookError> {
    if events.is_empty() {
        return Err(WebhookError::NoEvents);
    }
    for (i, e) in events.iter().enumerate() {
        if events[..i].contains(e) {
            return Err(WebhookError::DuplicateEvent(*e));
        }
    }
    Ok(())
}

/// When to try a delivery again after its `attempts`-th attempt failed at `now`; `None` once
/// that would be more than [`RETRY_FOR`] after the event (the delivery gives up).
pub fn next_attempt(
    created_at: DateTime<Utc>,
    attempts: i32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let doublings = attempts.clamp(1, 30) as u32 - 1;
    let delay = FIRST_DELAY
        .checked_mul(1i32.checked_shl(doublings).unwrap_or(i32::MAX))
        .map_or(MAX_DELAY, |d| d.min(MAX_DELAY));
    let at = now + delay;
    (at <= created_at + RETRY_FOR).then_some(at)
}

/// Whether an HTTP status means the endpoint took the event.
pub fn accepted(status: u16) -> bool {
    (200..300).contains(&status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_https_except_on_loopback() {
        for ok in [
            "https://shop.example/hooks/orderly",
            "https://shop.example:8443/h?x=1",
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "http://[::1]:8080/",
        ] {
            assert_eq!(check_url(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check_url("http://shop.example/h"),
            Err(WebhookError::NotHttps)
        );
        assert_eq!(
            check_url("ftp://shop.example/h"),
            Err(WebhookError::NotHttps)
        );
        assert_eq!(check_url("shop.example"), Err(WebhookError::NotHttps));
        assert_eq!(check_url("https:///path"), Err(WebhookError::NoHost));
        assert_eq!(
            check_url("https://user:pw@shop.example/"),
            Err(WebhookError::NoHost)
        );
        assert_eq!(
            check_url("https://shop.example/a b"),
            Err(WebhookError::Malformed)
        );
        let long = format!("https://shop.example/{}", "a".repeat(MAX_URL));
        assert_eq!(check_url(&long), Err(WebhookError::Malformed));
    }

    #[test]
    fn an_endpoint_subscribes_to_distinct_events() {
        use WebhookEventType as E;
        assert_eq!(check_events(&[]), Err(WebhookError::NoEvents));
        assert_eq!(
            check_events(&[E::RefundExecuted, E::OrderStatusChanged, E::RefundExecuted]),
            Err(WebhookError::DuplicateEvent(E::RefundExecuted))
        );
        assert_eq!(check_events(E::ALL), Ok(()));
    }

    #[test]
    fn retries_back_off_exponentially_and_give_up_after_a_day() {
        let created: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        let s = TimeDelta::seconds;
        assert_eq!(next_attempt(created, 1, created), Some(created + s(10)));
        assert_eq!(
            next_attempt(created, 2, created + s(10)),
            Some(created + s(30))
        );
        assert_eq!(
            next_attempt(created, 3, created + s(30)),
            Some(created + s(70))
        );
        // Capped at an hour between attempts, however many failed.
        let late = created + TimeDelta::hours(5);
        assert_eq!(next_attempt(created, 12, late), Some(late + MAX_DELAY));
        assert_eq!(next_attempt(created, 40, late), Some(late + MAX_DELAY));
        // Nothing is scheduled beyond 24 hours after the event.
        let day = created + TimeDelta::hours(23) + TimeDelta::minutes(30);
        assert_eq!(next_attempt(created, 20, day), None);
        // Walking the schedule: about two dozen attempts in the day, the last within it.
        let (mut at, mut attempts) = (created, 1);
        while let Some(next) = next_attempt(created, attempts, at) {
            assert!(next > at && next <= created + RETRY_FOR);
            at = next;
            attempts += 1;
        }
        assert!((20..40).contains(&attempts), "{attempts} attempts");
    }

    #[test]
    fn only_2xx_is_delivered() {
        assert!(accepted(200) && accepted(204) && accepted(299));
        assert!(!accepted(199) && !accepted(301) && !accepted(404) && !accepted(500));
    }
}
