//! Opaque bearer secrets (refresh tokens, partner API keys): random, shown to their owner once,
//! stored only as a SHA-256 digest. They carry 256 bits of entropy, so a fast hash is enough —
//! unlike passwords, they cannot be guessed from a dictionary.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

#[derive(Clone, PartialEq, Eq)]
pub struct OpaqueToken(String);

impl OpaqueToken {
    /// A fresh token: `prefix` followed by 32 random bytes in URL-safe base64.
    pub fn generate(prefix: &str) -> Result<OpaqueToken, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        Ok(OpaqueToken(format!(
            "{prefix}{}",
            URL_SAFE_NO_PAD.encode(bytes)
        )))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn digest(&self) -> String {
        hash_token(&self.0)
    }
}

impl std::fmt::Debug for OpaqueToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpaqueToken(***)")
    }
}

/// The stored form of a token: lower-case hex SHA-256.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_prefixed_and_hash_deterministically() {
        let a = OpaqueToken::generate("ork_").unwrap();
        let b = OpaqueToken::generate("ork_").unwrap();
        assert_ne!(a, b);
        assert!(a.expose().starts_with("ork_") && a.expose().len() == 4 + 43);
        assert_eq!(a.digest(), hash_token(a.expose()));
        assert_eq!(a.digest().len(), 64);
        assert!(!format!("{a:?}").contains(a.expose()));
    }
}
