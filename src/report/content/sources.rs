//! The notes and the numbered source list.

use std::collections::HashMap;

use super::Draft;
use crate::model::*;
use crate::report::doc::{Block, Inline, Table, Tone, em, strong, text};
use crate::wording::plural;

impl<'a> Draft<'a> {
    pub(super) fn notes(&mut self) {
        let notes: Vec<&Note> = self
            .p
            .notes
            .iter()
            .filter(|n| !n.title.trim().is_empty() || !n.text.trim().is_empty())
            .collect();
        if notes.is_empty() {
            return;
        }
        self.h2("notes", "Notes", false);
        for n in notes {
            self.h3(None, n.title.trim());
            self.para(Tone::Plain, vec![text(n.text.trim())]);
        }
    }

    // ---- sources ----

    pub(super) fn sources(&mut self) {
        self.h2("sources", "Sources", true);
        // How often each source is cited by the scores shown.
        let mut cited: HashMap<&str, usize> = HashMap::new();
        for (k, s) in self.scores() {
            if self
                .opts
                .selection
                .analyst
                .as_deref()
                .is_some_and(|a| a != k.analyst)
            {
                continue;
            }
            for id in &s.sources {
                *cited.entry(id.as_str()).or_default() += 1;
            }
        }
        self.para(
            Tone::Note,
            vec![text(
                "Each source carries two grades (Admiralty system): the reliability of the source \
                 (A–F) and the credibility of the information (1–6).",
            )],
        );
        let rows = Reliability::ALL
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let n = i as u8 + 1;
                vec![
                    vec![strong(r.as_str()), text(format!(" {}", r.meaning()))],
                    vec![
                        strong(n.to_string()),
                        text(format!(" {}", credibility_meaning(n))),
                    ],
                ]
            })
            .collect();
        self.out.push(Block::Table(Table {
            head: vec![
                "Reliability of the source".into(),
                "Credibility of the information".into(),
            ],
            rows,
            numeric: vec![false, false],
            class: "grades",
        }));
        if self.p.sources.is_empty() {
            self.para(Tone::Plain, vec![text("The project lists no sources.")]);
            return;
        }
        let items = self
            .p
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut v = vec![strong(format!("[{}]", i + 1)), text(" ")];
                v.push(text(s.citation.trim()));
                if !s.date.trim().is_empty() {
                    v.push(text(format!(" ({})", s.date.trim())));
                }
                if !s.link.trim().is_empty() {
                    v.push(text(" "));
                    v.push(Inline::Link {
                        url: s.link.trim().to_string(),
                        text: s.link.trim().to_string(),
                    });
                }
                v.push(text(" — grade "));
                v.push(strong(s.grade()));
                v.push(text(format!(
                    " (source {}; information {})",
                    s.reliability.meaning(),
                    credibility_meaning(s.credibility)
                )));
                let n = cited.get(s.id.as_str()).copied().unwrap_or(0);
                v.push(em(format!(
                    ". Id {}; cited by {}.",
                    s.id,
                    plural(n, "score", "scores")
                )));
                if !s.note.trim().is_empty() {
                    v.push(text(format!(" {}", s.note.trim())));
                }
                (Some(format!("src-{}", i + 1)), v)
            })
            .collect();
        self.out.push(Block::List {
            ordered: false,
            items,
        });
    }
}
