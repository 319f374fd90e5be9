//! A generator of large, fully scored projects for benchmarks and stress tests
//! (e.g. 500 mechanisms × 40 criteria × 12 analysts × 6 scenarios). Deterministic for
//! a seed: PCG-64 (rand_pcg), whose stream is fixed by its specification.

use std::collections::BTreeMap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use crate::model::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenSpec {
    pub mechanisms: usize,
    pub criteria: usize,
    pub analysts: usize,
    pub scenarios: usize,
    pub sources: usize,
    pub seed: u64,
}

impl GenSpec {
    /// The size the performance targets are set for.
    pub const LARGE: GenSpec = GenSpec {
        mechanisms: 500,
        criteria: 40,
        analysts: 12,
        scenarios: 6,
        sources: 200,
        seed: 7,
    };
    /// A small project whose score list is still over 1 MB, so that the loader reads
    /// it in pieces (`persist::split`).
    pub const SPLIT_LIST: GenSpec = GenSpec {
        mechanisms: 200,
        criteria: 6,
        analysts: 3,
        scenarios: 2,
        sources: 20,
        seed: 3,
    };
}

const WORDS: &[&str] = &[
    "cooperation",
    "agreement",
    "training",
    "liaison",
    "ministry",
    "framework",
    "exchange",
    "regional",
    "bilateral",
    "patrol",
    "officers",
    "equipment",
    "forum",
    "treaty",
    "norms",
    "influence",
    "partners",
    "security",
    "judicial",
    "extradition",
    "capacity",
    "secretariat",
];

fn sentence(rng: &mut Pcg64, words: usize) -> String {
    let mut s: Vec<&str> = (0..words)
        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
        .collect();
    s[0] = "The";
    format!("{}.", s.join(" "))
}

/// Builds a project of the given size with every cell scored by every analyst,
/// each score with a rationale, a confidence and sources.
pub fn project(spec: &GenSpec) -> Project {
    let mut rng = Pcg64::seed_from_u64(spec.seed);
    let roles = [
        Role::Requirement,
        Role::Objective,
        Role::Objective,
        Role::Concern,
    ];
    let mut groups: Vec<Group> = roles
        .iter()
        .enumerate()
        .map(|(i, role)| Group {
            id: format!("group-{}", i + 1),
            name: format!("Group {} ({})", i + 1, role.as_str()),
            role: *role,
            weight: 1.0,
            description: String::new(),
            criteria: Vec::new(),
        })
        .collect();
    for c in 0..spec.criteria {
        let g = c * groups.len() / spec.criteria.max(1);
        let mut crit = Criterion::new(
            &format!("criterion-{}", c + 1),
            &format!("Criterion {}", c + 1),
        );
        crit.definition = sentence(&mut rng, 12);
        crit.teaching = sentence(&mut rng, 30);
        crit.weight = f64::from(rng.random_range(1..=4u8));
        if groups[g].role == Role::Concern {
            crit.direction = Direction::Cost;
        }
        groups[g].criteria.push(crit);
    }
    let sources: Vec<Source> = (0..spec.sources)
        .map(|i| Source {
            id: format!("source-{}", i + 1),
            citation: format!(
                "Author {}, \"{}\", Journal of Studies, {}.",
                i + 1,
                sentence(&mut rng, 6),
                1990 + i % 35
            ),
            link: format!("https://example.org/{}", i + 1),
            date: format!("{}", 1990 + i % 35),
            reliability: Reliability::ALL[rng.random_range(0..6)],
            credibility: rng.random_range(1..=6),
            note: String::new(),
            origin: Origin::Unknown,
            derived_from: None,
        })
        .collect();
    let mechanisms: Vec<Mechanism> = (0..spec.mechanisms)
        .map(|i| {
            let mut m = Mechanism::new(
                &format!("mechanism-{}", i + 1),
                &format!("Mechanism {} {}", i + 1, WORDS[i % WORDS.len()]),
            );
            m.description = sentence(&mut rng, 25);
            m.kind = Kind::ALL[rng.random_range(0..4)];
            m.instruments = vec![Instrument::ALL[rng.random_range(0..7)]];
            m.regions =
                vec![["Asia", "Africa", "Europe", "Americas", "Oceania"][i % 5].to_string()];
            m.partners = vec![format!("Partner {}", i % 37)];
            m.start_year = Some(1980 + (i % 45) as i32);
            m
        })
        .collect();
    let analysts: Vec<Analyst> = (0..spec.analysts)
        .map(|i| Analyst {
            id: format!("analyst-{}", i + 1),
            name: format!("Analyst {}", i + 1),
            note: String::new(),
        })
        .collect();
    let criteria: Vec<String> = groups
        .iter()
        .flat_map(|g| g.criteria.iter().map(|c| c.id.clone()))
        .collect();
    let mut scores = BTreeMap::new();
    for a in &analysts {
        for m in &mechanisms {
            for c in &criteria {
                let score = Score {
                    value: ScoreValue::Value(f64::from(rng.random_range(0..=4u8))),
                    rationale: sentence(&mut rng, 18),
                    confidence: Confidence::ALL[rng.random_range(0..3)],
                    sources: if sources.is_empty() {
                        Vec::new()
                    } else {
                        vec![sources[rng.random_range(0..sources.len())].id.clone()]
                    },
                    ..Score::default()
                };
                scores.insert(ScoreKey::new(&a.id, &m.id, c), score);
            }
        }
    }
    let scenarios: Vec<Scenario> = (0..spec.scenarios)
        .map(|i| {
            let mut s = Scenario {
                id: format!("scenario-{}", i + 1),
                name: format!("Scenario {}", i + 1),
                narrative: sentence(&mut rng, 30),
                assumptions: vec![sentence(&mut rng, 10)],
                ..Scenario::default()
            };
            s.group_weights
                .insert(groups[i % groups.len()].id.clone(), 2.0);
            if !criteria.is_empty() {
                s.criterion_weights
                    .insert(criteria[i % criteria.len()].clone(), 3.0);
                for k in 0..20.min(mechanisms.len()) {
                    s.score_overrides.push(ScoreOverride {
                        mechanism: mechanisms[(i * 7 + k * 13) % mechanisms.len()].id.clone(),
                        criterion: criteria[(i + k) % criteria.len()].clone(),
                        score: Score {
                            value: ScoreValue::Value(f64::from(rng.random_range(0..=4u8))),
                            rationale: sentence(&mut rng, 10),
                            confidence: Confidence::Low,
                            sources: Vec::new(),
                            ..Score::default()
                        },
                    });
                }
            }
            s.score_overrides
                .sort_by(|a, b| (&a.mechanism, &a.criterion).cmp(&(&b.mechanism, &b.criterion)));
            s.score_overrides
                .dedup_by(|a, b| a.mechanism == b.mechanism && a.criterion == b.criterion);
            if let Some(m) = mechanisms.get(i) {
                s.excluded_mechanisms.push(m.id.clone());
            }
            s
        })
        .collect();
    Project {
        acknowledgements: Vec::new(),
        info: ProjectInfo {
            title: format!(
                "Generated project ({} × {})",
                spec.mechanisms, spec.criteria
            ),
            description: "Generated for benchmarks and stress tests.".into(),
            ..ProjectInfo::default()
        },
        settings: Settings::default(),
        framework: Framework {
            id: "generated".into(),
            name: "Generated framework".into(),
            description: String::new(),
            groups,
            ..Framework::default()
        },
        mechanisms,
        sources,
        analysts,
        scores,
        scenarios,
        notes: Vec::new(),
        workshop: Workshop::default(),
        merge_conflicts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_projects_are_valid_and_deterministic() {
        let spec = GenSpec {
            mechanisms: 12,
            criteria: 9,
            analysts: 3,
            scenarios: 2,
            sources: 5,
            seed: 1,
        };
        let p = project(&spec);
        assert_eq!(p.scores.len(), 12 * 9 * 3);
        let text = crate::persist::to_canonical_string(&p);
        let back = crate::persist::load_str(&text)
            .expect("generated project is valid")
            .project;
        assert_eq!(back, p);
        assert_eq!(project(&spec), p, "same seed, same project");
    }
}
