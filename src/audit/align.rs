//! Alignment of the language versions of one document into rows of counterpart segments.
//!
//! Structure first: segments that carry the same unit id (a bilingual file's pairs) or the
//! same article number ("Neni 5", "Član 5", "Члан 5", "Article 5") are strong anchors, and a
//! different number is a strong veto. Then a dynamic programme in the manner of Gale and
//! Church (1993) pairs segments 1-1 or leaves one out (1-0, 0-1), with a cost from the
//! length ratio (calibrated on the two versions' total lengths), the numbers both sides
//! carry, shared tokens (names, codes, cognates after transliteration and folding), the final
//! punctuation and the block kind. Versions are added one at a time, longest first, each
//! aligned to the rows built so far, so a segment missing in one version leaves a gap in one
//! row rather than shifting everything after it.
//!
//! The programme runs in a band around the diagonal, so its cost grows with the length
//! times the band, not with the product of the lengths.
//!
//! The document aligner of [`crate::align`] serves another purpose (sentence units for a
//! translation memory, aligned against a pivot and kept only where all agree); an audit
//! needs every block with its file location, in rows across all versions, gaps included.
//!
//! Deliberately not done: 2-1 merges (a sentence split differently is reported as a missing
//! segment plus a counterpart), reordering.

use crate::formats::document::BlockKind;
use crate::text::{case_fold, cyr_to_lat, diacritic_fold};

/// What the aligner needs to know of a segment.
#[derive(Debug, Clone, Default)]
pub struct AlignItem {
    /// Length in characters.
    pub chars: usize,
    /// The numbers it carries (digit runs without leading zeros), sorted.
    pub numbers: Vec<u64>,
    /// The article number, when the segment is or starts an article.
    pub article: Option<u64>,
    /// The class of its final punctuation.
    pub end: u8,
    /// Hashes of its folded tokens of four letters or more, sorted and unique.
    pub tokens: Vec<u64>,
    /// A unit id shared with counterparts.
    pub unit: Option<String>,
    /// True for headings.
    pub heading: bool,
    /// The article the segment belongs to: the number of the last article heading at or
    /// before it (see [`assign_sections`]).
    pub section: Option<u64>,
}

/// Sets every item's section from the article headings before it, so that a segment pairs
/// only within its article ("structure first").
pub fn assign_sections(items: &mut [AlignItem]) {
    let mut current = None;
    for item in items {
        if item.article.is_some() {
            current = item.article;
        }
        item.section = current;
    }
}

/// Words that introduce an article number, in the languages the audit reads.
const ARTICLE_WORDS: &[&str] =
    &["neni", "nenit", "nenin", "član", "člana", "članu", "clan", "clana", "члан", "члана", "члану", "article", "art", "madde", "maddesi"];

impl AlignItem {
    /// Features of a segment's text.
    pub fn new(text: &str, kind: BlockKind, unit: Option<&str>) -> AlignItem {
        let mut numbers = Vec::new();
        let mut digits = String::new();
        for c in text.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                digits.push(c);
            } else if !digits.is_empty() {
                if let Ok(value) = digits.trim_start_matches('0').parse::<u64>().or_else(|_| if digits.chars().all(|d| d == '0') { Ok(0) } else { Err(()) }) {
                    numbers.push(value);
                }
                digits.clear();
            }
        }
        numbers.sort_unstable();
        let lowered = case_fold(text);
        let mut article = None;
        let mut words = lowered.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
        if let (Some(first), Some(second)) = (words.next(), words.next())
            && ARTICLE_WORDS.contains(&first)
        {
            article = second.parse().ok();
        }
        let end = match text.trim_end().chars().last() {
            Some('.') => 1,
            Some('?') => 2,
            Some('!') => 3,
            Some(':') => 4,
            Some('…') => 5,
            Some(')') => 6,
            Some(';') => 7,
            _ => 0,
        };
        let latin = cyr_to_lat(&lowered);
        let folded = diacritic_fold(&latin);
        let mut tokens: Vec<u64> =
            folded.split(|c: char| !c.is_alphanumeric()).filter(|w| w.chars().count() >= 4).map(|w| hash(&w.chars().take(6).collect::<String>())).collect();
        tokens.sort_unstable();
        tokens.dedup();
        AlignItem {
            chars: text.chars().count(),
            numbers,
            article,
            end,
            tokens,
            unit: unit.map(str::to_string),
            heading: matches!(kind, BlockKind::Heading(_)),
            section: None,
        }
    }
}

fn hash(text: &str) -> u64 {
    // FNV-1a: stable, fast, good enough for short tokens.
    let mut value: u64 = 0xcbf29ce484222325;
    for byte in text.bytes() {
        value ^= u64::from(byte);
        value = value.wrapping_mul(0x100000001b3);
    }
    value
}

/// The cost of leaving a segment without counterpart.
const GAP: f64 = 3.5;

/// The cost of pairing `a` with `b`, where `ratio` is the expected length of `b` per
/// character of `a`. Lower is better; a good pair costs about 0 or less.
pub fn pair_cost(a: &AlignItem, b: &AlignItem, ratio: f64) -> f64 {
    if let (Some(unit_a), Some(unit_b)) = (&a.unit, &b.unit) {
        return if unit_a == unit_b { -10.0 } else { 10.0 };
    }
    let r = ((b.chars as f64 + 10.0) / (ratio * (a.chars as f64 + 10.0))).ln();
    let mut cost = (r / 0.4).powi(2);
    if a.end != b.end {
        cost += 1.5;
    }
    match (a.numbers.is_empty(), b.numbers.is_empty()) {
        (true, true) => {}
        (false, false) if a.numbers == b.numbers => cost -= 3.0,
        (false, false) => cost += 1.5 - shared(&a.numbers, &b.numbers) as f64,
        _ => cost += 1.5,
    }
    cost -= (shared(&a.tokens, &b.tokens) as f64 * 1.2).min(4.0);
    if a.heading != b.heading {
        cost += 1.0;
    }
    // Length, punctuation, numbers and words together stay just above one gap: when both
    // versions have a segment here, even a poor pair (a truncated or rewritten translation)
    // is likelier than one segment missing on each side, which would also pair a neighbour
    // with the wrong segment. A segment really missing still costs one gap where every
    // shifted pair after it costs more. Only structure vetoes a pair.
    cost = cost.min(GAP + 0.5);
    if let (Some(x), Some(y)) = (a.article, b.article) {
        cost += if x == y { -6.0 } else { 6.0 };
    } else if let (Some(x), Some(y)) = (a.section, b.section)
        && x != y
    {
        cost += 6.0;
    }
    cost
}

fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut count) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                count += 1;
                i += 1;
                j += 1;
            }
        }
    }
    count
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Move {
    Pair,
    SkipRow,
    NewRow,
}

/// Aligns versions (each a list of segment features) into rows: one entry per version,
/// the segment index or `None` when that version has no counterpart in the row. Rows are in
/// document order for every version.
pub fn align(versions: &[Vec<AlignItem>]) -> Vec<Vec<Option<usize>>> {
    let width = versions.len();
    let mut order: Vec<usize> = (0..width).collect();
    // Longest first: the version least likely to miss segments becomes the backbone.
    order.sort_by_key(|&idx| std::cmp::Reverse(versions[idx].len()));
    let totals: Vec<f64> = versions.iter().map(|items| items.iter().map(|item| item.chars as f64).sum::<f64>().max(1.0)).collect();
    let mut rows: Vec<Vec<Option<usize>>> = Vec::new();
    for (step, &version) in order.iter().enumerate() {
        let items = &versions[version];
        if step == 0 {
            rows = (0..items.len()).map(|idx| (0..width).map(|v| if v == version { Some(idx) } else { None }).collect()).collect();
            continue;
        }
        let row_cost = |row: &Vec<Option<usize>>, item: &AlignItem, ratios: &[f64]| -> f64 {
            let mut total = 0.0;
            let mut members = 0.0;
            for (other, cell) in row.iter().enumerate() {
                if let Some(seg) = cell {
                    total += pair_cost(&versions[other][*seg], item, ratios[other]);
                    members += 1.0;
                }
            }
            if members > 0.0 { total / members } else { GAP }
        };
        // Length ratios from the totals first; a segment missing on one side biases them,
        // so they are measured again on the pairs of the first pass and the pass repeated.
        let mut ratios: Vec<f64> = (0..width).map(|other| totals[version] / totals[other]).collect();
        let mut moves = banded_dp(rows.len(), items.len(), |i, j| row_cost(&rows[i], &items[j], &ratios));
        let paired = paired_ratios(&rows, items, versions, &moves, width);
        if paired.iter().zip(&ratios).any(|(new, old)| (new / old - 1.0).abs() > 0.05) {
            ratios = paired;
            moves = banded_dp(rows.len(), items.len(), |i, j| row_cost(&rows[i], &items[j], &ratios));
        }
        let mut merged = Vec::with_capacity(rows.len() + items.len());
        let mut row_iter = rows.into_iter();
        let mut next_item = 0;
        for step_move in moves {
            match step_move {
                Move::Pair => {
                    if let Some(mut row) = row_iter.next() {
                        row[version] = Some(next_item);
                        merged.push(row);
                    }
                    next_item += 1;
                }
                Move::SkipRow => {
                    if let Some(row) = row_iter.next() {
                        merged.push(row);
                    }
                }
                Move::NewRow => {
                    merged.push((0..width).map(|v| if v == version { Some(next_item) } else { None }).collect());
                    next_item += 1;
                }
            }
        }
        rows = merged;
    }
    rows
}

/// Per other version, the length of `items` per character of that version, over the pairs
/// a pass of the programme made (1.0 where there are none): the median of the pairs' ratios,
/// so that one outsized segment (a paragraph pasted several times, a line left much longer in
/// one version) does not stretch every other pair's expected length.
fn paired_ratios(rows: &[Vec<Option<usize>>], items: &[AlignItem], versions: &[Vec<AlignItem>], moves: &[Move], width: usize) -> Vec<f64> {
    let mut logs: Vec<Vec<f64>> = vec![Vec::new(); width];
    let (mut row, mut item) = (0, 0);
    for step in moves {
        match step {
            Move::Pair => {
                for (other, cell) in rows[row].iter().enumerate() {
                    if let Some(seg) = cell {
                        logs[other].push(((items[item].chars as f64 + 10.0) / (versions[other][*seg].chars as f64 + 10.0)).ln());
                    }
                }
                row += 1;
                item += 1;
            }
            Move::SkipRow => row += 1,
            Move::NewRow => item += 1,
        }
    }
    logs.into_iter()
        .map(|mut ratios| {
            if ratios.is_empty() {
                return 1.0;
            }
            ratios.sort_by(f64::total_cmp);
            let mid = ratios.len() / 2;
            let median = if ratios.len() % 2 == 1 { ratios[mid] } else { (ratios[mid - 1] + ratios[mid]) / 2.0 };
            median.exp()
        })
        .collect()
}

/// The moves of the cheapest path from (0, 0) to (n, m), in a band around the diagonal.
fn banded_dp(n: usize, m: usize, cost: impl Fn(usize, usize) -> f64) -> Vec<Move> {
    let band = n.abs_diff(m) + 64;
    let lo = |i: usize| (i * m / n.max(1)).saturating_sub(band);
    let hi = |i: usize| ((i * m / n.max(1)) + band).min(m);
    let span = 2 * band + 1;
    let mut dp = vec![f64::INFINITY; (n + 1) * span];
    let mut from = vec![Move::Pair; (n + 1) * span];
    let at = |i: usize, j: usize| -> Option<usize> { if j < lo(i) || j > hi(i) { None } else { Some(i * span + (j - lo(i))) } };
    if let Some(origin) = at(0, 0) {
        dp[origin] = 0.0;
    }
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            let Some(here) = at(i, j) else { continue };
            if i == 0 && j == 0 {
                continue;
            }
            let mut best = f64::INFINITY;
            let mut best_move = Move::Pair;
            if i > 0
                && j > 0
                && let Some(prev) = at(i - 1, j - 1)
                && dp[prev].is_finite()
            {
                let value = dp[prev] + cost(i - 1, j - 1);
                if value < best {
                    best = value;
                    best_move = Move::Pair;
                }
            }
            if i > 0
                && let Some(prev) = at(i - 1, j)
            {
                let value = dp[prev] + GAP;
                if value < best {
                    best = value;
                    best_move = Move::SkipRow;
                }
            }
            if j > 0
                && let Some(prev) = at(i, j - 1)
            {
                let value = dp[prev] + GAP;
                if value < best {
                    best = value;
                    best_move = Move::NewRow;
                }
            }
            dp[here] = best;
            from[here] = best_move;
        }
    }
    let mut moves = Vec::with_capacity(n + m);
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        // The band always contains the path along its centre, so every cell visited here
        // is inside it; the fallback keeps the walk going if rounding ever says otherwise.
        let step = at(i, j).map(|here| from[here]).unwrap_or(if i > 0 { Move::SkipRow } else { Move::NewRow });
        let step = match step {
            Move::Pair if i == 0 || j == 0 => {
                if i > 0 {
                    Move::SkipRow
                } else {
                    Move::NewRow
                }
            }
            Move::SkipRow if i == 0 => Move::NewRow,
            Move::NewRow if j == 0 => Move::SkipRow,
            other => other,
        };
        moves.push(step);
        match step {
            Move::Pair => {
                i -= 1;
                j -= 1;
            }
            Move::SkipRow => i -= 1,
            Move::NewRow => j -= 1,
        }
    }
    moves.reverse();
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(lines: &[&str]) -> Vec<AlignItem> {
        let mut items: Vec<AlignItem> = lines.iter().map(|line| AlignItem::new(line, BlockKind::Line, None)).collect();
        assign_sections(&mut items);
        items
    }

    fn rows(versions: &[&[&str]]) -> Vec<Vec<Option<usize>>> {
        align(&versions.iter().map(|lines| items(lines)).collect::<Vec<_>>())
    }

    #[test]
    fn one_to_one() {
        let got = rows(&[&["Neni 1", "Komuna vendos.", "Neni 2"], &["Član 1", "Opština odlučuje.", "Član 2"]]);
        assert_eq!(got, vec![vec![Some(0), Some(0)], vec![Some(1), Some(1)], vec![Some(2), Some(2)]]);
    }

    #[test]
    fn a_missing_segment_leaves_one_gap() {
        let sq: &[&str] = &[
            "Komuna: Junik",
            "Përdor gjithmonë zërin e pozicionit, në vend të shtyllës së vendodhjes",
            "Është përdorur një lloj kapjeje e pavlefshme.",
            "Hap me të vërtetë të gjithë file?",
            "Zgjidh renditjen me të cilën shfaqen informacionet në këtë kartelë:",
            "E pamundur heqja e kartelës së origjinës.",
            "Zbraz koshin para se të kryhet zmontimi?",
            "Zvarritja nuk suportohet.",
            "Gabim gjatë lëvizjes së file në kosh.",
            "Leximi i informacioneve mbi figurën dështoi",
        ];
        let sr: &[&str] = &[
            "Општина: Јуник",
            "Увек користи поље за путању, уместо траке за путању",
            "Употребљена је неисправна врста превлачења.",
            "Сигурно желите да отворите све датотеке?",
            "Изаберите додатне податке за приказ у овој фасцикли:",
            "Да ли желите да испразните смеће пре него што се откачите?",
            "Превлачење и пуштање није подржано.",
            "Грешка приликом премештања датотека у смеће.",
            "Не могу да учитам податке о слици",
        ];
        let got = rows(&[sq, sr]);
        assert_eq!(got.len(), 10);
        assert_eq!(got[5], vec![Some(5), None]);
        assert_eq!(got[6], vec![Some(6), Some(5)]);
    }

    #[test]
    fn a_truncated_segment_keeps_its_row() {
        let en: &[&str] = &[
            "A style called \"%s\" has not been defined",
            "Select a monitor to change its properties; drag it to rearrange its placement.",
            "No URL was specified.",
            "File already exists",
            "Power management for the Xfce desktop",
        ];
        let sr: &[&str] = &[
            "Stil „%s“ nije definisan",
            "Izaberite ekran za.",
            "Nije zadana internet adresa",
            "Datoteka već postoji",
            "Upravnik potrošnje za IksFCE radno okruženje",
        ];
        assert_eq!(rows(&[en, sr]), (0..5).map(|idx| vec![Some(idx), Some(idx)]).collect::<Vec<_>>());
    }

    #[test]
    fn one_outsized_segment_does_not_shift_the_others() {
        // One Albanian line pasted ten times (about 450 characters) once stretched every
        // expected length, and short lines near it lost their counterparts.
        let pasted = ["Ju lutemi, dorëzoni kërkesën në zyrën e pritjes."; 10].join(" ");
        let sq: Vec<&str> = vec![
            "Komuna: Prishtinë",
            "Të paktën gjashtë muaj",
            "Nga skedari",
            "Tasti për t'u mbajtur shtypur",
            "Shkalla e ngjeshjes:",
            "Kontrast i lartë",
            "Gabim i shërbimit",
            "Lëviz majtas",
            "Në pauzë (nuk ka rrjet)",
            "Lejo kriptimin",
            "Kundërshtarët kompjuter",
            "Shtoni skedarë në listë",
            "Titulli tjetër",
            "Shkruaj diskun",
            "Format audio i pavlefshëm",
            "Përkufizimi standard i figurës",
            "Zgjidhni një faqeshënues ku të lidhet",
            "Shfaqe listën",
            "Ruaj",
            "Mbretëresha e kupës",
            &pasted,
            "Transferimet totale",
            "Fusha e lojës",
        ];
        let sr: &[&str] = &[
            "Opština: Priština",
            "Najmanje šest meseci",
            "Iz datoteke",
            "Taster za držanje",
            "Nivo sažimanja:",
            "Veliki kontrast",
            "Greška servisa",
            "Potez ulevo",
            "Pauzirano (nema mreže)",
            "Dozvoli šifrovanje",
            "Računarski protivnici",
            "Dodaj datoteke na spisak",
            "Sledeći naslov",
            "Reži disk",
            "Neispravan zapis zvuka",
            "Standardna definicija slike",
            "Odaberite zabelešku za povezivanje",
            "Prikaži spisak",
            "Napravi rezervu",
            "Kraljica herc",
            "Molimo predajte zahtev na prijemnom šalteru.",
            "Ukupan prenos",
            "Polje za igru",
        ];
        let en: &[&str] = &[
            "Municipality: Prishtina",
            "At least six months",
            "From file",
            "Key to hold",
            "Compression ratio:",
            "High contrast",
            "Service error",
            "Move left",
            "Paused (no network)",
            "Allow encryption",
            "Computer opponents",
            "Add files to the list",
            "Next title",
            "Write disc",
            "Invalid audio format",
            "Standard picture definition",
            "Choose a bookmark to connect to",
            "Show list",
            "Back up",
            "The queen of hearts",
            "Please hand in the request at the reception desk.",
            "Total transfer",
            "Game field",
        ];
        let got = rows(&[&sq, sr, en]);
        let expected: Vec<Vec<Option<usize>>> = (0..sq.len()).map(|idx| vec![Some(idx), Some(idx), Some(idx)]).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn article_numbers_anchor() {
        let got = rows(&[&["Neni 1", "Teksti i parë.", "Neni 2", "Teksti i dytë."], &["Član 1", "Član 2", "Drugi tekst."]]);
        assert_eq!(got[1], vec![Some(1), None]);
        assert_eq!(got[2], vec![Some(2), Some(1)]);
    }

    #[test]
    fn empty_versions() {
        assert_eq!(rows(&[&["a"], &[]]), vec![vec![Some(0), None]]);
        assert!(rows(&[&[], &[]]).is_empty());
    }
}
