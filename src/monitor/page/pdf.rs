//! PDF pages: the text layer through poppler's `pdftotext`, run as a child process on a
//! temporary copy with a time limit, its lines joined into paragraphs. A PDF without a text
//! layer (a scan) gives no text: no OCR is attempted.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::formats::document::{Block, BlockKind, MAX_DOCUMENT_BYTES};

use super::PageError;

/// The longest `pdftotext` may take for one file: a text layer of a few hundred pages takes a
/// second or two; longer is a damaged or hostile file.
pub const PDF_TIME_LIMIT: Duration = Duration::from_secs(30);

/// The text layer of a PDF, by `program` (pdftotext) run on a temporary copy, killed after
/// `limit`. Output goes to a file rather than a pipe, so a large text cannot block the child
/// while this side waits.
pub(super) fn pdf_text(url: &str, body: &[u8], program: &str, limit: Duration) -> Result<String, PageError> {
    let io = |source| PageError::Io { url: url.to_string(), source };
    let dir = tempfile::tempdir().map_err(io)?;
    let input = dir.path().join("page.pdf");
    let output = dir.path().join("page.txt");
    std::fs::write(&input, body).map_err(io)?;
    let errors = std::fs::File::create(dir.path().join("errors.txt")).map_err(io)?;
    let spawned = Command::new(program)
        .args(["-q", "-enc", "UTF-8", "-eol", "unix"])
        .arg(&input)
        .arg(&output)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(errors)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(PageError::PdfOff { url: url.to_string() }),
        Err(err) => return Err(io(err)),
    };
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(io)? {
            break status;
        }
        if start.elapsed() >= limit {
            // Killing a child that just exited fails harmlessly; it is reaped either way.
            let _ = child.kill();
            let _ = child.wait();
            return Err(PageError::Pdf { url: url.to_string(), reason: format!("pdftotext took longer than {} s", limit.as_secs()) });
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if !status.success() {
        let said = std::fs::read_to_string(dir.path().join("errors.txt")).unwrap_or_default();
        let said = said.lines().next().unwrap_or("").trim().to_string();
        let reason = if said.is_empty() { format!("pdftotext failed ({status})") } else { format!("pdftotext: {said}") };
        return Err(PageError::Pdf { url: url.to_string(), reason });
    }
    let mut text = Vec::new();
    std::fs::File::open(&output).map_err(io)?.take(MAX_DOCUMENT_BYTES).read_to_end(&mut text).map_err(io)?;
    Ok(String::from_utf8_lossy(&text).into_owned())
}

/// pdftotext's output as blocks: paragraphs end at blank lines and form feeds (pages), and a
/// line continues the paragraph above when it starts in lower case or the line above ends
/// with a comma or a hyphen (pdftotext keeps the PDF's line breaks, which no translation
/// shares). Each block is numbered by the output line where it starts.
pub(super) fn pdf_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let flush = |current: &mut Option<(usize, String)>, blocks: &mut Vec<Block>| {
        if let Some((line, text)) = current.take() {
            blocks.push(Block { kind: BlockKind::Paragraph, text, line, column: 1, unit: None });
        }
    };
    for (idx, raw) in text.split('\n').enumerate() {
        for (part_idx, part) in raw.split('\x0c').enumerate() {
            if part_idx > 0 {
                flush(&mut current, &mut blocks);
            }
            let line = part.split_whitespace().collect::<Vec<_>>().join(" ");
            if line.is_empty() {
                flush(&mut current, &mut blocks);
                continue;
            }
            let continues = line.starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit());
            match &mut current {
                // A word hyphenated across lines is joined again.
                Some((_, paragraph)) if paragraph.ends_with('-') && continues => {
                    paragraph.pop();
                    paragraph.push_str(&line);
                }
                Some((_, paragraph)) if continues || paragraph.ends_with([',', '-']) => {
                    paragraph.push(' ');
                    paragraph.push_str(&line);
                }
                _ => {
                    flush(&mut current, &mut blocks);
                    current = Some((idx + 1, line));
                }
            }
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdftotext_missing_or_too_slow() {
        let err = pdf_text("https://x.example/a.pdf", b"%PDF-1.4", "termbridge-no-such-pdftotext", PDF_TIME_LIMIT).unwrap_err();
        assert!(err.to_string().contains("PDF reading is off") && err.to_string().contains("poppler-utils"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let slow = dir.path().join("slow-pdftotext");
        std::fs::write(&slow, "#!/bin/sh\nsleep 5\n").unwrap();
        let mut permissions = std::fs::metadata(&slow).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&slow, permissions).unwrap();
        let mut err = pdf_text("https://x.example/a.pdf", b"%PDF-1.4", slow.to_str().unwrap(), Duration::from_millis(200)).unwrap_err();
        // A script just written can be busy while another test thread forks (ETXTBSY).
        for _ in 0..20 {
            if !matches!(&err, PageError::Io { .. }) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
            err = pdf_text("https://x.example/a.pdf", b"%PDF-1.4", slow.to_str().unwrap(), Duration::from_millis(200)).unwrap_err();
        }
        assert!(err.to_string().contains("longer than"), "{err}");
        if super::super::tests::pdftotext_installed() {
            let err = pdf_text("https://x.example/a.pdf", b"%PDF-1.4 not really", "pdftotext", PDF_TIME_LIMIT).unwrap_err();
            assert!(matches!(err, PageError::Pdf { .. }), "{err}");
        }
    }

    #[test]
    fn pdf_lines_become_paragraphs() {
        let blocks = pdf_blocks("Komuna e Junikut\nNjoftim për\nkonkurs publik\n\nAfati për apli-\nkim është 15.03.2024,\nInformata\x0cFaqja 2\n");
        let texts: Vec<&str> = blocks.iter().map(|block| block.text.as_str()).collect();
        assert_eq!(texts, vec!["Komuna e Junikut", "Njoftim për konkurs publik", "Afati për aplikim është 15.03.2024, Informata", "Faqja 2"]);
        assert_eq!(blocks.iter().map(|block| block.line).collect::<Vec<_>>(), vec![1, 2, 5, 7]);
    }
}
