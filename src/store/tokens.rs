//! API tokens: created with a role, stored as a BLAKE3 hash of the secret (never the secret),
//! verified in constant time, revocable.
//!
//! A token reads `tb_<id>_<secret>`: the 16-hex-digit id finds the record, the 64-hex-digit
//! secret is hashed and compared with `blake3::Hash`'s constant-time equality.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError};

/// What a token may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read-only access (when reads are not open).
    Reader,
    /// Import, edit terms, run audits that are stored.
    Editor,
    /// Everything, including token management.
    Admin,
}

impl Role {
    /// The role's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// A stored token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The public id.
    pub id: String,
    /// What it may do.
    pub role: Role,
    /// Creation time, seconds since the Unix epoch.
    pub created: u64,
    /// Hex BLAKE3 hash of the secret.
    hash: String,
}

/// A token as created: the only time the secret is visible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewToken {
    /// The full bearer token to hand to the client.
    pub token: String,
    /// The public id (for `token revoke`).
    pub id: String,
    /// The role.
    pub role: Role,
}

fn random_hex(n_bytes: usize) -> Result<String, StoreError> {
    let mut bytes = vec![0u8; n_bytes];
    getrandom::fill(&mut bytes).map_err(|err| StoreError::Corrupt(format!("no randomness available: {err}")))?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

impl TokenRecord {
    /// True when the stored hash is 64 hex digits.
    pub(super) fn hash_is_well_formed(&self) -> bool {
        self.hash.len() == 64 && self.hash.bytes().all(|byte| byte.is_ascii_hexdigit())
    }
}

/// Compares two byte strings in time that depends only on their lengths, never on where they
/// first differ, so that a caller cannot learn a secret byte by byte from response times.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut difference = 0u8;
    for (x, y) in a.iter().zip(b) {
        difference |= x ^ y;
    }
    // Keeps the compiler from turning the loop into an early-exit comparison.
    std::hint::black_box(difference) == 0
}

impl Store {
    fn tokens_tree(&self) -> Result<sled::Tree, StoreError> {
        Ok(self.db.open_tree("tokens")?)
    }

    /// Creates a token with `role`, stores its hash durably and returns the secret once.
    pub fn create_token(&self, role: Role) -> Result<NewToken, StoreError> {
        let id = random_hex(8)?;
        let secret = random_hex(32)?;
        let created = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|elapsed| elapsed.as_secs()).unwrap_or(0);
        let record = TokenRecord { id: id.clone(), role, created, hash: blake3::hash(secret.as_bytes()).to_hex().to_string() };
        let value = serde_json::to_vec(&record).map_err(|err| StoreError::Corrupt(format!("cannot encode token: {err}")))?;
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        self.tokens_tree()?.insert(id.as_bytes(), value)?;
        self.db.flush()?;
        Ok(NewToken { token: format!("tb_{id}_{secret}"), id, role })
    }

    /// The role of a bearer token, or `None` when it is unknown, malformed or revoked.
    pub fn verify_token(&self, token: &str) -> Result<Option<Role>, StoreError> {
        let Some(rest) = token.strip_prefix("tb_") else { return Ok(None) };
        let Some((id, secret)) = rest.split_once('_') else { return Ok(None) };
        if id.len() != 16 || !id.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let Some(value) = self.tokens_tree()?.get(id.as_bytes())? else { return Ok(None) };
        let record: TokenRecord = serde_json::from_slice(&value).map_err(|err| StoreError::Corrupt(format!("token {id} cannot be decoded: {err}")))?;
        let Ok(stored) = blake3::Hash::from_hex(&record.hash) else { return Ok(None) };
        // Only the hash of the presented secret is compared, and in constant time: neither the
        // secret nor how much of it matched leaks through timing.
        let presented = blake3::hash(secret.as_bytes());
        Ok(constant_time_eq(presented.as_bytes(), stored.as_bytes()).then_some(record.role))
    }

    /// Revokes the token with public id `id`; true when it existed.
    pub fn revoke_token(&self, id: &str) -> Result<bool, StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        let existed = self.tokens_tree()?.remove(id.as_bytes())?.is_some();
        self.db.flush()?;
        Ok(existed)
    }

    /// Every stored token (without secrets).
    pub fn tokens(&self) -> Result<Vec<TokenRecord>, StoreError> {
        let mut records = Vec::new();
        for entry in self.tokens_tree()?.iter() {
            let (_, value) = entry?;
            records.push(serde_json::from_slice(&value).map_err(|err| StoreError::Corrupt(format!("token record cannot be decoded: {err}")))?);
        }
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        let cases: &[(&[u8], &[u8], bool)] = &[
            (b"", b"", true),
            (b"abc", b"abc", true),
            (b"abc", b"abd", false),
            (b"abc", b"xbc", false),
            (b"abc", b"ab", false),
            (b"ab", b"abc", false),
            (&[0xff; 32], &[0xff; 32], true),
            (&[0u8; 32], &[1u8; 32], false),
        ];
        for (a, b, expected) in cases {
            assert_eq!(constant_time_eq(a, b), *expected, "{a:?} vs {b:?}");
        }
        // Every single-bit difference at every position is caught.
        let base = [0x5au8; 32];
        for byte in 0..32 {
            for bit in 0..8 {
                let mut other = base;
                other[byte] ^= 1 << bit;
                assert!(!constant_time_eq(&base, &other), "byte {byte} bit {bit}");
            }
        }
    }

    #[test]
    fn create_verify_revoke() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let editor = store.create_token(Role::Editor).unwrap();
        assert_eq!(store.verify_token(&editor.token).unwrap(), Some(Role::Editor));
        let mut wrong = editor.token.clone();
        wrong.pop();
        wrong.push('x');
        assert_eq!(store.verify_token(&wrong).unwrap(), None);
        assert_eq!(store.verify_token("tb_nothex_abc").unwrap(), None);
        assert_eq!(store.verify_token("Bearer").unwrap(), None);
        assert!(!store.tokens().unwrap()[0].hash.contains(&editor.token[20..]), "the secret is not stored");
        assert!(store.revoke_token(&editor.id).unwrap());
        assert_eq!(store.verify_token(&editor.token).unwrap(), None);
    }
}
