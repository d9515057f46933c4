//! Audit history: each audit of a document, keyed by the document's identity and the time,
//! so that a later audit can be compared with the last one (the Commissioner's follow-up).
//! Records are opaque bytes here (the audit module encodes them); this file only knows keys.

use super::{Store, StoreError};

/// Key: the document id, a NUL, then the time in nanoseconds since the epoch, big-endian, so
/// that a prefix scan lists a document's audits in time order.
fn key(document_id: &str, unix_nanos: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(document_id.len() + 9);
    key.extend_from_slice(document_id.as_bytes());
    key.push(0);
    key.extend_from_slice(&unix_nanos.to_be_bytes());
    key
}

impl Store {
    /// Stores one audit record of a document (durable when this returns).
    pub fn put_audit(&self, document_id: &str, unix_nanos: u64, record: &[u8]) -> Result<(), StoreError> {
        let _guard = self.write_lock.lock().map_err(|_| StoreError::Corrupt("write lock poisoned".into()))?;
        let tree = self.db.open_tree("audits")?;
        tree.insert(key(document_id, unix_nanos), record)?;
        tree.flush()?;
        self.db.flush()?;
        Ok(())
    }

    /// The most recent audit record of a document, with its time.
    pub fn last_audit(&self, document_id: &str) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        let tree = self.db.open_tree("audits")?;
        let mut prefix = document_id.as_bytes().to_vec();
        prefix.push(0);
        match tree.scan_prefix(&prefix).next_back() {
            None => Ok(None),
            Some(entry) => {
                let (key, value) = entry?;
                let time: [u8; 8] =
                    key[prefix.len()..].try_into().map_err(|_| StoreError::Corrupt(format!("audit key of {document_id:?} has no 8-byte time")))?;
                Ok(Some((u64::from_be_bytes(time), value.to_vec())))
            }
        }
    }

    /// Number of audits stored for a document.
    pub fn audit_count(&self, document_id: &str) -> Result<usize, StoreError> {
        let tree = self.db.open_tree("audits")?;
        let mut prefix = document_id.as_bytes().to_vec();
        prefix.push(0);
        Ok(tree.scan_prefix(&prefix).count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_audit_is_the_latest_of_that_document() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.last_audit("doc").unwrap(), None);
        store.put_audit("doc", 2, b"second").unwrap();
        store.put_audit("doc", 1, b"first").unwrap();
        store.put_audit("doc2", 3, b"other").unwrap();
        assert_eq!(store.last_audit("doc").unwrap(), Some((2, b"second".to_vec())));
        assert_eq!(store.audit_count("doc").unwrap(), 2);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.last_audit("doc2").unwrap(), Some((3, b"other".to_vec())));
    }
}
