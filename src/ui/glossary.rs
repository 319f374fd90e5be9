//! The words an analyst may not know, explained once: the Help ▸ Glossary window and
//! the tooltips where each term appears read the same table.

/// One term: as it is shown, and what it means in plain words.
pub struct Term {
    pub term: &'static str,
    pub meaning: &'static str,
}

/// Every term, in the order the Glossary window lists them.
pub const TERMS: &[Term] = &[
    Term {
        term: "α interval",
        meaning: "Krippendorff's alpha treating the scale as numbers, so a 1-versus-3 disagreement counts four times a 1-versus-2. Shown beside the ordinal alpha as a check.",
    },
    Term {
        term: "α ordinal",
        meaning: "Krippendorff's alpha for ranked levels (0 < 1 < 2 …): how much the analysts agree beyond chance on one criterion. 1 is full agreement, 0 no better than chance; 0.8 and above is reliable, 0.667 to 0.8 tentative.",
    },
    Term {
        term: "95% interval · P(α < 0.667)",
        meaning: "How far the ordinal alpha could move with other mechanisms like these: a 95% interval from 1,000 bootstrap resamples of the mechanisms (seed 1), and the probability that alpha is below 0.667, Krippendorff's lowest standard for tentative conclusions. A wide interval means alpha rests on too few mechanisms or analysts to be read alone.",
    },
    Term {
        term: "Central weights",
        meaning: "In rank acceptability: the average of the sampled weights with which a mechanism comes first, the typical weighting that favours it. The confidence factor is how often it stays first with those weights when only the scores vary.",
    },
    Term {
        term: "Coverage",
        meaning: "The weighted share of a group's applicable criteria that are assessed. Below 50 % the index (and a total below 50 % of its groups) is not computed; between 50 % and 100 %, read it with care.",
    },
    Term {
        term: "Group index",
        meaning: "A mechanism's weighted average over the criteria of one group, on a 0–100 scale (100: the top of every scale).",
    },
    Term {
        term: "Hypothetical scenario",
        meaning: "A what-if: some scores changed (overrides) without changing the base assessment. Results under a scenario are marked hypothetical.",
    },
    Term {
        term: "IQR",
        meaning: "Interquartile range: the width of the middle half of the analysts' scores for a cell (third quartile minus first). 0 means the middle analysts agree; 2 or more is worth a discussion.",
    },
    Term {
        term: "Kendall's W",
        meaning: "Whether the analysts put the mechanisms in the same order on a criterion: 0 no shared ordering, 1 the same ranking from everyone.",
    },
    Term {
        term: "Median across analysts",
        meaning: "The middle score of all analysts for each cell; the results of a workshop are computed from it. With one analyst it is that analyst's score.",
    },
    Term {
        term: "No total",
        meaning: "In rank acceptability: the share of samples in which the mechanism had too little assessed (under half of a counted group's weight) to get a composite total, so it took no rank in them.",
    },
    Term {
        term: "Not applicable / not assessed",
        meaning: "Not applicable (n/a): the criterion does not apply to the mechanism; the cell is left out and its weight is shared by the others. Not assessed: nobody has scored it yet; it lowers the coverage.",
    },
    Term {
        term: "Percentage points",
        meaning: "The difference between two percentages or two 0–100 values: from 40 to 43 is +3 points (not +3 %).",
    },
    Term {
        term: "Rank acceptability (SMAA)",
        meaning: "How often each mechanism takes each rank when the weights (and optionally the scores, within their confidence) are drawn at random many times: a ranking that holds for most weights is robust.",
    },
    Term {
        term: "Requirement gate",
        meaning: "A criterion a mechanism must reach for it to be viable; a mechanism that fails one keeps its total but is marked not viable.",
    },
    Term {
        term: "Separate effects (of a scenario's changes)",
        meaning: "Each change of a scenario is tried alone on the baseline: that is its separate effect. When the changes together move a total by more or less than the sum of their separate effects, the difference is said as \"together the changes add (or take off) … more than their separate effects\".",
    },
    Term {
        term: "Total (composite total)",
        meaning: "The weighted mean of the group indices, 0–100, under the chosen viewpoint (whose interest it measures): where higher = better, concern groups count inverted (a high concern lowers the total); where higher = more concern, they count as they are.",
    },
    Term {
        term: "Weighted kappa",
        meaning: "How far a student's scores agree with the reference's beyond chance, with a disagreement of two points counting four times one of one point (quadratic weights). 1 is full agreement, 0 no better than chance, below 0 worse; it needs at least two cells.",
    },
    Term {
        term: "Within ±1",
        meaning: "The share of the analysts whose score of a cell is at most one scale point from the median: 100 % means everyone is close, whatever the IQR says.",
    },
];

/// A column heading (or any label) that is a term of the glossary: its meaning on
/// hover; other text as a plain label.
pub fn term_label(
    ui: &mut egui::Ui,
    text: impl Into<egui::WidgetText>,
    term: &str,
) -> egui::Response {
    let r = ui.label(text);
    match meaning(term) {
        "" => r,
        m => r.on_hover_text(m),
    }
}

/// What a term means, for a tooltip where the term is shown (`term` as in `TERMS`).
pub fn meaning(term: &str) -> &'static str {
    TERMS
        .iter()
        .find(|t| t.term == term)
        .map_or("", |t| t.meaning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_sorted_unique_and_explained() {
        let keys: Vec<String> = TERMS.iter().map(|t| t.term.to_lowercase()).collect();
        // Alphabetical, the Greek-letter terms first.
        let mut sorted = keys.clone();
        sorted.sort_by_key(|k| (!k.starts_with('α'), k.clone()));
        sorted.dedup();
        assert_eq!(keys, sorted, "sorted and unique");
        for t in TERMS {
            assert!(t.meaning.len() > 40, "{}", t.term);
            assert_eq!(meaning(t.term), t.meaning);
        }
        assert_eq!(meaning("no such term"), "");
    }
}
