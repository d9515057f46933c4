//! GNU gettext's compiled catalogues (`.mo`): the original and translated strings of each
//! entry.
//!
//! The format (GNU gettext manual, "The Format of GNU MO Files"): a 28-byte header (magic
//! number `0x950412de` in the file's byte order, revision, number of strings N, offset of the
//! table of originals, offset of the table of translations, size and offset of a hash table),
//! then two tables of N (length, offset) pairs pointing at NUL-terminated strings. An original
//! may carry a context before `\x04` and a plural after `\0`; a translation holds its plural
//! forms separated by `\0`. Entry 0 with an empty original is the catalogue's header.
//!
//! Every length and offset is checked against the file, so a truncated or corrupt file gives
//! [`MoError`] naming the file and what is wrong, never a panic or a read outside the bytes.
//! Deliberately not here: the hash table (entries are read in order, not looked up), writing
//! catalogues, and encodings other than UTF-8 (the catalogues termbridge reads, Debian's
//! `iso-codes`, are UTF-8; another encoding is refused).

use std::path::{Path, PathBuf};

/// The magic number in the file's own byte order.
const MAGIC: u32 = 0x9504_12de;

/// The bytes of the header up to and including the offset of the translations' table.
const HEADER_LEN: usize = 20;

/// One entry of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoEntry {
    /// The context (`msgctxt`), when the entry has one.
    pub context: Option<String>,
    /// The original string (`msgid`), without its plural.
    pub original: String,
    /// The translated forms (`msgstr`, or each `msgstr[n]`).
    pub translations: Vec<String>,
}

/// Why a catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MoError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The bytes are not a valid catalogue.
    #[error("{path}: not a valid gettext catalogue: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, with the byte offset.
        reason: String,
    },
}

impl crate::problem::Classify for MoError {
    /// A corrupt catalogue is bad input; a file that cannot be read is the machine's.
    fn class(&self) -> crate::problem::ErrorClass {
        match self {
            MoError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => crate::problem::ErrorClass::NotFound,
            MoError::Io { .. } => crate::problem::ErrorClass::Internal,
            MoError::Invalid { .. } => crate::problem::ErrorClass::Input,
        }
    }
}

/// Reads the catalogue at `path`, header entry included.
pub fn read_mo(path: &Path) -> Result<Vec<MoEntry>, MoError> {
    let bytes = std::fs::read(path).map_err(|source| MoError::Io { path: path.to_path_buf(), source })?;
    parse_mo(&bytes).map_err(|reason| MoError::Invalid { path: path.to_path_buf(), reason })
}

/// The entries of a catalogue's bytes, or what is wrong with them.
///
/// ```
/// // A catalogue of no entries: the magic number, revision 0, N = 0, both tables at 28.
/// let mut bytes = Vec::new();
/// for word in [0x9504_12de_u32, 0, 0, 28, 28, 0, 28] {
///     bytes.extend_from_slice(&word.to_le_bytes());
/// }
/// assert!(termbridge::formats::mo::parse_mo(&bytes).unwrap().is_empty());
/// assert!(termbridge::formats::mo::parse_mo(&bytes[..10]).is_err());
/// ```
pub fn parse_mo(bytes: &[u8]) -> Result<Vec<MoEntry>, String> {
    if bytes.len() < HEADER_LEN {
        return Err(format!("{} bytes, shorter than the header", bytes.len()));
    }
    let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
    let little = if u32::from_le_bytes(magic) == MAGIC {
        true
    } else if u32::from_be_bytes(magic) == MAGIC {
        false
    } else {
        return Err(format!("bad magic number {:#010x}", u32::from_le_bytes(magic)));
    };
    let word = |at: usize| -> Result<usize, String> {
        let end = at.checked_add(4).filter(|&end| end <= bytes.len()).ok_or_else(|| format!("offset {at}: past the end of the file"))?;
        let four = [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]];
        debug_assert_eq!(end, at + 4);
        let value = if little { u32::from_le_bytes(four) } else { u32::from_be_bytes(four) };
        usize::try_from(value).map_err(|_| format!("offset {at}: value {value} too large"))
    };
    // Only the major revision changes the layout; gettext reads 0 and 1.
    let revision = word(4)?;
    if revision >> 16 > 1 {
        return Err(format!("unknown revision {revision:#x}"));
    }
    let count = word(8)?;
    let originals = word(12)?;
    let translations = word(16)?;
    // Each entry takes 8 bytes in each table, so a count the file cannot hold is refused
    // before anything is allocated for it.
    let table_len = count.checked_mul(8).filter(|&len| len <= bytes.len()).ok_or_else(|| format!("{count} entries do not fit in {} bytes", bytes.len()))?;
    for (name, at) in [("originals", originals), ("translations", translations)] {
        if at.checked_add(table_len).is_none_or(|end| end > bytes.len()) {
            return Err(format!("offset {at}: the table of {name} runs past the end of the file"));
        }
    }
    let string = |table: usize, idx: usize| -> Result<&str, String> {
        let at = table + idx * 8;
        let len = word(at)?;
        let start = word(at + 4)?;
        let end = start
            .checked_add(len)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| format!("entry {idx}: string at offset {start} of {len} bytes runs past the end of the file"))?;
        std::str::from_utf8(&bytes[start..end]).map_err(|err| format!("entry {idx}: string at offset {start} is not UTF-8: {err}"))
    };
    let mut entries = Vec::with_capacity(count);
    for idx in 0..count {
        let original = string(originals, idx)?;
        let translated = string(translations, idx)?;
        let (context, original) = match original.split_once('\u{4}') {
            Some((context, rest)) => (Some(context.to_string()), rest),
            None => (None, original),
        };
        let original = original.split('\0').next().unwrap_or_default().to_string();
        let translations = translated.split('\0').map(str::to_string).collect();
        entries.push(MoEntry { context, original, translations });
    }
    Ok(entries)
}

/// The bytes of a little-endian catalogue of `entries` (originals with their context joined by
/// `\x04`, translations by `\0`), for tests of what reads catalogues.
#[cfg(test)]
pub(crate) fn write_mo(entries: &[MoEntry]) -> Vec<u8> {
    let keys: Vec<String> = entries
        .iter()
        .map(|entry| match &entry.context {
            Some(context) => format!("{context}\u{4}{}", entry.original),
            None => entry.original.clone(),
        })
        .collect();
    let values: Vec<String> = entries.iter().map(|entry| entry.translations.join("\0")).collect();
    let count = entries.len();
    let originals = 28;
    let translations = originals + 8 * count;
    let mut data_at = translations + 8 * count;
    let mut tables: Vec<u32> = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    let mut place = |text: &str, table: &mut Vec<u32>| {
        table.extend([text.len() as u32, data_at as u32]);
        data.extend_from_slice(text.as_bytes());
        data.push(0);
        data_at += text.len() + 1;
    };
    for key in &keys {
        place(key, &mut tables);
    }
    for value in &values {
        place(value, &mut tables);
    }
    let mut bytes = Vec::new();
    for word in [MAGIC, 0, count as u32, originals as u32, translations as u32, 0, translations as u32 + 8 * count as u32] {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    for word in tables {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
    bytes.extend(data);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(context: Option<&str>, original: &str, translations: &[&str]) -> MoEntry {
        MoEntry { context: context.map(str::to_string), original: original.to_string(), translations: translations.iter().map(|t| t.to_string()).collect() }
    }

    #[test]
    fn entries_read_back_with_context_and_plurals() {
        let entries = vec![
            entry(None, "", &["Content-Type: text/plain; charset=UTF-8\n"]),
            entry(None, "Albania", &["Shqipëri"]),
            entry(Some("menu"), "File", &["Skedar"]),
            entry(None, "%d file", &["%d skedar", "%d skedarë"]),
        ];
        assert_eq!(parse_mo(&write_mo(&entries)).unwrap(), entries);
    }

    #[test]
    fn big_endian_catalogues_are_read() {
        let little = write_mo(&[entry(None, "Serbia", &["Србија"])]);
        let big: Vec<u8> =
            little[..28 + 16].chunks(4).flat_map(|word| word.iter().rev().copied().collect::<Vec<u8>>()).chain(little[28 + 16..].iter().copied()).collect();
        assert_eq!(parse_mo(&big).unwrap(), [entry(None, "Serbia", &["Србија"])]);
    }

    #[test]
    fn corrupt_catalogues_are_refused_with_the_reason() {
        let good = write_mo(&[entry(None, "Albania", &["Shqipëri"])]);
        assert!(parse_mo(b"not a catalogue at all").unwrap_err().contains("magic"));
        assert!(parse_mo(&good[..good.len() - 5]).unwrap_err().contains("past the end"));
        let mut huge = good.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(parse_mo(&huge).unwrap_err().contains("do not fit"));
        let mut latin1 = good.clone();
        let at = latin1.len() - 4;
        latin1[at] = 0xeb;
        assert!(parse_mo(&latin1).unwrap_err().contains("not UTF-8"));
        let dir = std::env::temp_dir().join(format!("termbridge-mo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("broken.mo");
        std::fs::write(&path, &good[..30]).unwrap();
        let message = read_mo(&path).unwrap_err().to_string();
        assert!(message.contains("broken.mo") && message.contains("not a valid gettext catalogue"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_mo(&bytes);
        }

        #[test]
        fn a_damaged_catalogue_never_panics(at in 0usize..200, value in any::<u8>(), cut in 0usize..200) {
            let mut bytes = write_mo(&[entry(None, "Kosovo", &["Kosovë"]), entry(Some("x"), "a", &["b", "c"])]);
            let at = at % bytes.len();
            bytes[at] = value;
            bytes.truncate(cut.max(1));
            let _ = parse_mo(&bytes);
        }

        #[test]
        fn written_entries_read_back(texts in proptest::collection::vec(("[^\u{0}\u{4}]{0,12}", "[^\u{0}]{0,12}"), 0..8)) {
            let entries: Vec<MoEntry> = texts.iter().map(|(original, translated)| entry(None, original, &[translated])).collect();
            prop_assert_eq!(parse_mo(&write_mo(&entries)).unwrap(), entries);
        }
    }
}
