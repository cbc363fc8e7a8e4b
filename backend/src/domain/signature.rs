//! Signed webhooks (API.md), in the style of Stripe: the header
//! `Orderly-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
//! Several `v1` values may be present (secret rotation); one valid is enough. A timestamp more
//! than [`TOLERANCE_SECS`] away from now is refused, so captured requests cannot be replayed later.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

pub const HEADER: &str = "Orderly-Signature";
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Orderly-Signature header is missing")]
    Missing,
    #[error("the Orderly-Signature header is malformed")]
    Malformed,
    #[error("the signature timestamp is more than {TOLERANCE_SECS} s away from now")]
    Stale,
    #[error("the signature does not match")]
    Mismatch,
}

/// The header value for `body` signed at `timestamp`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

/// Checks a header value against the raw body at time `now` (unix seconds).
pub fn verify(
    secret: &[u8],
    header: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => {
                timestamp = Some(t.parse::<i64>().map_err(|_| SignatureError::Malformed)?)
            }
            Some(("v1", sig)) => {
                candidates.push(hex::decode(sig).map_err(|_| SignatureError::Malformed)?)
            }
            Some(_) => {} // other schemes are ignored, as Stripe does
            None => return Err(SignatureError::Malformed),
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    // verify_slice compares in constant time.
    if candidates
        .iter()
        .any(|sig| mac(secret, timestamp, body).verify_slice(sig).is_ok())
    {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"whsec_test";
    const BODY: &[u8] = br#"{"eventId":"e1"}"#;

    #[test]
    fn a_fresh_correct_signature_is_accepted_within_the_tolerance() {
        let header = sign(SECRET, 1_000_000, BODY);
        assert_eq!(verify(SECRET, Some(&header), BODY, 1_000_000), Ok(()));
        assert_eq!(verify(SECRET, Some(&header), BODY, 1_000_300), Ok(()));
        assert_eq!(verify(SECRET, Some(&header), BODY, 999_700), Ok(()));
    }

    #[test]
    fn stale_forged_and_tampered_requests_are_refused() {
        let header = sign(SECRET, 1_000_000, BODY);
        assert_eq!(
            verify(SECRET, Some(&header), BODY, 1_000_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(b"other", Some(&header), BODY, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, Some(&header), br#"{"eventId":"e2"}"#, 1_000_000),
            Err(SignatureError::Mismatch)
        );
        // Moving the timestamp invalidates the signature, so staleness cannot be dodged.
        let moved = header.replace("t=1000000", "t=1000100");
        assert_eq!(
            verify(SECRET, Some(&moved), BODY, 1_000_100),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_told_apart_from_wrong_ones() {
        for bad in ["", "t=abc,v1=00", "v1=00", "t=1", "t=1,v1=zz", "garbage"] {
            assert_eq!(
                verify(SECRET, Some(bad), BODY, 1),
                Err(SignatureError::Malformed),
                "{bad:?}"
            );
        }
        assert_eq!(verify(SECRET, None, BODY, 1), Err(SignatureError::Missing));
    }

    #[test]
    fn any_one_valid_signature_of_several_is_enough() {
        let good = sign(SECRET, 5, BODY);
        let v1 = good.split(",v1=").nth(1).unwrap();
        let header = format!("t=5,v1={},v1={v1}", "00".repeat(32));
        assert_eq!(verify(SECRET, Some(&header), BODY, 5), Ok(()));
    }
}
