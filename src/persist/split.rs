//! The fast loader's score list read on several threads: the list is most of a large
//! file, so its text is cut at element boundaries into pieces read side by side, while
//! the rest of the file is read with a stand-in string where the list was.
//!
//! Sound whatever the text: the rest must read with the stand-in taken as the value of
//! the top-level `scores` field (checked by the stand-in's address, see
//! `file::SCORES_APART`), and the pieces must tile the list's text exactly as the JSON
//! grammar of a list (`[`, values separated by commas, `]`). Then the whole text reads
//! as one `serde_json` pass would read it, and to the same file types; otherwise this
//! declines and the caller reads the text in one pass.

use super::file::{Obj, ProjectFile, SCORES_APART, SCORES_STAND_IN, ScoreFile};

/// Below this many bytes of score list, one pass is as quick.
const MIN_SPLIT_BYTES: usize = 1 << 20;

/// The file types with the score list in pieces (in list order; the file's own `scores`
/// is empty), or None when the text does not lend itself (small, not pretty-printed,
/// or not reading as one pass would).
pub fn parse(text: &str) -> Option<(ProjectFile, Vec<Vec<ScoreFile>>)> {
    let (start, end) = list_span(text)?;
    if end - start < MIN_SPLIT_BYTES {
        return None;
    }
    let threads = rayon::current_num_threads().clamp(1, 8);
    if threads < 2 {
        return None;
    }
    let cuts = cuts(text.as_bytes(), start, end, threads)?;
    let mut rest = String::with_capacity(text.len() - (end - start) + SCORES_STAND_IN.len() + 2);
    rest.push_str(&text[..start]);
    rest.push('"');
    rest.push_str(SCORES_STAND_IN);
    rest.push('"');
    rest.push_str(&text[end..]);
    let stand_in = rest.as_ptr() as usize + start + 1;
    // Pieces between the cuts, without the list's brackets and the cut commas.
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(start);
    bounds.extend(cuts);
    bounds.push(end - 1);
    let pieces: Vec<&str> = bounds.windows(2).map(|w| &text[w[0] + 1..w[1]]).collect();
    let (file, parts) = rayon::join(
        || read_rest(&rest, stand_in),
        || {
            use rayon::prelude::*;
            pieces
                .par_iter()
                .map(|p| read_piece(p))
                .collect::<Option<Vec<_>>>()
        },
    );
    Some((file?, parts?))
}

/// The byte span `[start, end)` of the top-level score list as a pretty-printed file
/// lays it out (`"scores": [` … `],` before `"scenarios"`); only a guess, which `parse`
/// then proves or rejects.
fn list_span(text: &str) -> Option<(usize, usize)> {
    const KEY: &str = "\n  \"scores\": ";
    let start = text.find(KEY)? + KEY.len();
    let next = text.rfind("\n  \"scenarios\": ")?;
    let head = text[..next].trim_end_matches([' ', '\t', '\n', '\r']);
    let end = head
        .strip_suffix(',')?
        .trim_end_matches([' ', '\t', '\n', '\r'])
        .len();
    let b = text.as_bytes();
    (start < end && b[start] == b'[' && b[end - 1] == b']').then_some((start, end))
}

/// Byte positions of commas inside the list `[start, end)` that cut it into `n` pieces
/// of about equal size: a comma that ends a line (before white space) and is followed,
/// on the next line, by `{`. A guess too; a wrong one makes a piece fail to read.
fn cuts(b: &[u8], start: usize, end: usize, n: usize) -> Option<Vec<usize>> {
    let ws = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut out: Vec<usize> = Vec::with_capacity(n - 1);
    for k in 1..n {
        let mut at = start + (end - start) * k / n;
        if let Some(&last) = out.last() {
            at = at.max(last + 1);
        }
        // Up to a few thousand lines on, a line that ends in a comma before an object.
        let mut found = None;
        for _ in 0..4096 {
            let nl = at + b[at..end].iter().position(|&c| c == b'\n')?;
            let before = b[start..nl].iter().rposition(|&c| !ws(c))? + start;
            let after = nl + b[nl..end].iter().position(|&c| !ws(c))?;
            if b[before] == b',' && b[after] == b'{' {
                found = Some(before);
                break;
            }
            at = nl + 1;
        }
        out.push(found?);
    }
    Some(out)
}

/// The file without its score list: the stand-in must be read, at its own address,
/// as the value of the top-level `scores` field.
fn read_rest(rest: &str, stand_in: usize) -> Option<ProjectFile> {
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            SCORES_APART.with(|a| a.set(0));
        }
    }
    SCORES_APART.with(|a| a.set(stand_in));
    let _off = Off;
    let file = serde_json::from_str::<Obj<ProjectFile>>(rest).ok()?.0;
    // Read at the top level: the field clears the address once it took the stand-in.
    (SCORES_APART.with(|a| a.get()) == 0).then_some(file)
}

/// One piece of the list: values separated by commas, each a score object, with white
/// space around them; at least one.
fn read_piece(piece: &str) -> Option<Vec<ScoreFile>> {
    let b = piece.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    loop {
        let mut values =
            serde_json::Deserializer::from_str(&piece[at..]).into_iter::<Obj<ScoreFile>>();
        out.push(values.next()?.ok()?.0);
        at += values.byte_offset();
        while at < b.len() && matches!(b[at], b' ' | b'\t' | b'\n' | b'\r') {
            at += 1;
        }
        if at == b.len() {
            return Some(out);
        }
        if b[at] != b',' {
            return None;
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenSpec, project};

    fn large() -> String {
        crate::persist::to_canonical_string(&project(&GenSpec::SPLIT_LIST))
    }

    #[test]
    fn a_large_list_is_read_in_pieces_to_the_same_cells() {
        let text = large();
        let (start, end) = list_span(&text).expect("the list is found");
        assert!(end - start > MIN_SPLIT_BYTES, "{}", end - start);
        let cuts = cuts(text.as_bytes(), start, end, 2).expect("a cut");
        assert_eq!(cuts.len(), 1);
        let (file, parts) = parse(&text).expect("read in pieces");
        assert!(file.scores.is_empty() && parts.len() >= 2);
        let whole: ProjectFile = serde_json::from_str::<Obj<_>>(&text).unwrap().0;
        let cells: Vec<ScoreFile> = parts.into_iter().flatten().collect();
        assert_eq!(
            serde_json::to_value(&cells).unwrap(),
            serde_json::to_value(&whole.scores).unwrap()
        );
        let mut file = file;
        file.scores = cells;
        assert_eq!(
            serde_json::to_value(&file).unwrap(),
            serde_json::to_value(&whole).unwrap()
        );
    }
}
