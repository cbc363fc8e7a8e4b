//! The life of a refresh token. Tokens rotate on every use; each belongs to a family that began
//! at one sign-in. Presenting a token that was already rotated means it was copied — by an
//! attacker or by the legitimate client racing itself — so the whole family is revoked
//! (OAuth 2.0 Security BCP, refresh token rotation).

use chrono::{DateTime, Utc};

/// What the database knows about one refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    pub expires_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub user_active: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshDecision {
    /// Issue a new token in the same family and mark this one rotated.
    Rotate,
    /// The token was used before: revoke the family.
    ReuseDetected,
    Expired,
    Revoked,
    UserDeactivated,
}

pub fn decide_refresh(state: &SessionState, now: DateTime<Utc>) -> RefreshDecision {
    if state.revoked_at.is_some() {
        RefreshDecision::Revoked
    } else if state.rotated_at.is_some() {
        RefreshDecision::ReuseDetected
    } else if !state.user_active {
        RefreshDecision::UserDeactivated
    } else if state.expires_at <= now {
        RefreshDecision::Expired
    } else {
        RefreshDecision::Rotate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn live(now: DateTime<Utc>) -> SessionState {
        SessionState {
            expires_at: now + Duration::days(1),
            rotated_at: None,
            revoked_at: None,
            user_active: true,
        }
    }

    #[test]
    fn a_fresh_token_rotates() {
        let now = Utc::now();
        assert_eq!(decide_refresh(&live(now), now), RefreshDecision::Rotate);
    }

    #[test]
    fn a_second_use_of_a_token_is_reuse() {
        let now = Utc::now();
        let used = SessionState {
            rotated_at: Some(now),
            ..live(now)
        };
        assert_eq!(decide_refresh(&used, now), RefreshDecision::ReuseDetected);
    }

    #[test]
    fn revocation_wins_over_everything_and_expiry_is_exact() {
        let now = Utc::now();
        let revoked = SessionState {
            revoked_at: Some(now),
            rotated_at: Some(now),
            ..live(now)
        };
        assert_eq!(decide_refresh(&revoked, now), RefreshDecision::Revoked);
        let expiring = SessionState {
            expires_at: now,
            ..live(now)
        };
        assert_eq!(decide_refresh(&expiring, now), RefreshDecision::Expired);
        let inactive = SessionState {
            user_active: false,
            ..live(now)
        };
        assert_eq!(
            decide_refresh(&inactive, now),
            RefreshDecision::UserDeactivated
        );
    }
}
