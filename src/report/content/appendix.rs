//! The technical notes at the end of the report: how the figures were computed, with
//! the details a reader checking or reproducing them needs (the random generator, the
//! seed, the rounding rule, the versions) and the main text leaves out.

use super::Draft;
use crate::compute;
use crate::report::doc::{Block, Inlines, Tone, em, strong, text};
use crate::wording::percent;

impl Draft<'_> {
    pub(super) fn technical_notes(&mut self) {
        self.h2("technical-notes", "Technical notes", true);
        self.para(
            Tone::Note,
            vec![text(
                "For readers who check or reproduce the figures. The main text does not depend \
                 on this section.",
            )],
        );
        let mut items: Vec<(Option<String>, Inlines)> = Vec::new();
        let vp = &self.results.viewpoint;
        items.push((
            None,
            vec![
                strong("Totals and group indices. "),
                text(format!(
                    "Each score is placed on 0–100 by its scale (the lowest level 0, the highest \
                     100); a group index is the weighted mean over the group's assessed criteria, \
                     shown when at least {} of the group's weight is assessed. The composite is \
                     the weighted mean of the group indices under the viewpoint “{}” ({}; {}). \
                     Not assessed and not applicable cells are left out, never counted as 0.",
                    percent(compute::MIN_COVERAGE),
                    vp.name,
                    vp.reading.phrase(),
                    vp.how_counted(self.fw())
                )),
            ],
        ));
        items.push((
            None,
            vec![
                strong("Ranks. "),
                text(format!(
                    "{}. Equal totals share a rank.",
                    self.results.ranking_rule.line()
                )),
            ],
        ));
        items.push((
            None,
            vec![
                strong("Rounding. "),
                text(
                    "Totals and indices are shown in whole points, contributions and spreads \
                     with one decimal, shares as percentages with one decimal; halves are \
                     rounded away from zero, everywhere (window, command line and report). A \
                     change of a total is the difference of the two totals as shown. \
                     Agreement coefficients (alpha) have three decimals, cut rather than \
                     rounded, so a value never reads above the threshold it misses.",
                ),
            ],
        ));
        if let Some(s) = self.opts.smaa {
            items.push((
                None,
                vec![
                    strong("Rank acceptability (SMAA-2). "),
                    text(format!(
                        "{}. Random numbers: {}. The samples are drawn in fixed chunks, each from \
                         its own stream, so the result is the same whatever the number of threads. \
                         To reproduce: ",
                        s.options.describe(),
                        s.generator
                    )),
                    em(format!(
                        "policy-workbench analyze FILE --smaa {}",
                        s.options.samples
                    )),
                    text("."),
                ],
            ));
        }
        items.push((
            None,
            vec![
                strong("Software. "),
                text(format!(
                    "Policy Workbench {}, project file format version {}.",
                    env!("CARGO_PKG_VERSION"),
                    crate::persist::migrate::CURRENT_VERSION
                )),
            ],
        ));
        self.out.push(Block::List {
            ordered: false,
            items,
        });
    }
}
