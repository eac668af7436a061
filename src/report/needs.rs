//! The needs summary for next year: every institution's `Potrzeby`, the coordinator's own
//! needs from the definition, and needs the data shows (too few family assistants for the
//! legal caseload, next year's foster-care co-financing), grouped by category and goal
//! with subtotals.

use super::aggregate::IndicatorTotal;
use super::checks::pl_number;
use super::foster::FosterCare;
use crate::foster_care::{Grosze, to_grosze};
use crate::polish::pln;
use crate::program::Program;
use crate::records::Record;

/// Who raised a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NeedSource {
    /// An institution, in its template.
    Institution,
    /// The coordinator, in the programme definition.
    Coordinator,
    /// gpwr, from the collected data.
    Data,
}

impl NeedSource {
    /// Polish label.
    pub fn polish(self) -> &'static str {
        match self {
            NeedSource::Institution => "realizator",
            NeedSource::Coordinator => "koordynator",
            NeedSource::Data => "wyliczenie z danych",
        }
    }
}

/// One need.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedLine {
    /// Who raised it.
    pub source: NeedSource,
    /// Institution id (or the coordinating unit's name, or `gpwr`).
    pub raised_by: String,
    /// Full name of who raised it.
    pub raised_by_name: String,
    /// Category id, when it names one of the definition's categories.
    pub category: Option<String>,
    /// The category as typed, when it does not.
    pub category_text: Option<String>,
    /// Goal id (from the task).
    pub goal: Option<String>,
    /// Task id, or the text typed when it is not a known task.
    pub task: Option<String>,
    /// What is needed.
    pub description: String,
    /// Estimated cost.
    pub cost: Option<Grosze>,
    /// The cost as typed, when it could not be read.
    pub cost_text: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Justification.
    pub justification: Option<String>,
    /// Where it comes from: `file, Sheet!A5`, the definition cell, or how it was computed.
    pub origin: String,
}

/// Needs of one goal within a category.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalGroup<'a> {
    /// Goal id, `None` for needs not tied to a task.
    pub goal: Option<String>,
    /// Its needs.
    pub lines: Vec<&'a NeedLine>,
    /// Sum of the known costs.
    pub subtotal: Grosze,
}

/// Needs of one category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryGroup<'a> {
    /// Category id, `None` for needs without a known category.
    pub category: Option<String>,
    /// Polish name.
    pub name: String,
    /// Per goal, in the definition's order (needs without a goal last).
    pub goals: Vec<GoalGroup<'a>>,
    /// Sum of the known costs.
    pub subtotal: Grosze,
    /// Needs without a cost estimate.
    pub uncosted: usize,
}

/// The needs summary for the year after the reported one.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedsSummary {
    /// The year the needs are for.
    pub year: i32,
    /// Every need, in category, goal, source order.
    pub lines: Vec<NeedLine>,
}

/// Name of the group of needs without a (known) category.
pub const NO_CATEGORY: &str = "Bez kategorii";
/// Name of the group of needs without a task.
pub const NO_GOAL: &str = "Bez przypisanego celu";

impl NeedsSummary {
    /// Builds the summary from `potrzeby.csv`, the definition and the data.
    pub fn build(
        program: &Program,
        institution_needs: &[Record],
        totals: &[IndicatorTotal],
        foster: Option<&FosterCare>,
    ) -> NeedsSummary {
        let year = program.settings.report_year + 1;
        let mut lines = Vec::new();
        for r in institution_needs {
            let field = |name: &str| Some(r[name].to_string()).filter(|t| !t.is_empty());
            let category_typed = field("kategoria");
            let category = category_typed.as_deref().and_then(|c| program.need_category(c)).map(|c| c.id.clone());
            let task = field("zadanie");
            let institution = r["instytucja"].to_string();
            lines.push(NeedLine {
                source: NeedSource::Institution,
                raised_by_name: program.institution(&institution).map_or(institution.clone(), |i| i.name.clone()),
                raised_by: institution,
                category_text: if category.is_none() { category_typed } else { None },
                category,
                goal: task.as_deref().and_then(|t| program.goal_of_task(t)).map(|g| g.id.clone()),
                task,
                description: field("opis").unwrap_or_else(|| "(bez opisu)".to_string()),
                cost: r["koszt"].parse::<f64>().ok().map(to_grosze),
                cost_text: field("koszt_tekst"),
                priority: field("priorytet"),
                justification: field("uzasadnienie"),
                origin: format!("{}, {}", &r["plik"], &r["komorka"]),
            });
        }
        let unit = &program.settings.coordinating_unit;
        for n in &program.coordinator_needs {
            lines.push(NeedLine {
                source: NeedSource::Coordinator,
                raised_by: unit.clone(),
                raised_by_name: unit.clone(),
                category: n.category.clone(),
                category_text: None,
                goal: n.task.as_deref().and_then(|t| program.goal_of_task(t)).map(|g| g.id.clone()),
                task: n.task.clone(),
                description: n.description.clone(),
                cost: n.cost.map(to_grosze),
                cost_text: None,
                priority: n.priority.clone(),
                justification: n.justification.clone(),
                origin: format!("definicja programu, {}", n.cell),
            });
        }
        lines.extend(assistant_need(program, totals));
        lines.extend(foster.and_then(|f| foster_care_need(program, f)));
        let category_order = |l: &NeedLine| {
            l.category
                .as_deref()
                .and_then(|c| program.need_categories.iter().position(|k| k.id == c))
                .unwrap_or(usize::MAX)
        };
        let goal_order = |l: &NeedLine| {
            l.goal.as_deref().and_then(|g| program.goals.iter().position(|k| k.id == g)).unwrap_or(usize::MAX)
        };
        // Stable: within a category and goal, needs keep the order they were collected in.
        lines.sort_by_key(|l| (category_order(l), goal_order(l), l.source));
        NeedsSummary { year, lines }
    }

    /// The needs grouped by category, then goal, with subtotals.
    pub fn groups(&self, program: &Program) -> Vec<CategoryGroup<'_>> {
        let mut groups: Vec<CategoryGroup> = Vec::new();
        for line in &self.lines {
            if groups.last().is_none_or(|g| g.category != line.category) {
                let name = line
                    .category
                    .as_deref()
                    .and_then(|c| program.need_category(c))
                    .map_or(NO_CATEGORY.to_string(), |c| c.name.clone());
                groups.push(CategoryGroup {
                    category: line.category.clone(),
                    name,
                    goals: vec![],
                    subtotal: 0,
                    uncosted: 0,
                });
            }
            let group = groups.last_mut().expect("pushed above");
            if group.goals.last().is_none_or(|g| g.goal != line.goal) {
                group.goals.push(GoalGroup { goal: line.goal.clone(), lines: vec![], subtotal: 0 });
            }
            let goal = group.goals.last_mut().expect("pushed above");
            goal.lines.push(line);
            goal.subtotal += line.cost.unwrap_or(0);
            group.subtotal += line.cost.unwrap_or(0);
            group.uncosted += usize::from(line.cost.is_none());
        }
        groups
    }

    /// Sum of every known cost.
    pub fn total(&self) -> Grosze {
        self.lines.iter().filter_map(|l| l.cost).sum()
    }

    /// Needs without a cost estimate.
    pub fn uncosted(&self) -> usize {
        self.lines.iter().filter(|l| l.cost.is_none()).count()
    }
}

/// "More assistants are needed" when families per full-time assistant exceed the limit.
fn assistant_need(program: &Program, totals: &[IndicatorTotal]) -> Option<NeedLine> {
    let rule = program.assistance.as_ref()?;
    let value = |id: &str| totals.iter().find(|t| t.indicator == id).and_then(|t| t.total);
    let (families, assistants) = (value(&rule.families)?, value(&rule.assistants)?);
    let needed = families / rule.limit;
    if needed <= assistants + 1e-9 {
        return None;
    }
    // Whole or half posts: what a municipality can actually hire.
    let missing = ((needed - assistants) * 2.0).ceil() / 2.0;
    let posts = pl_number(missing);
    let per_post = if assistants > 0.0 {
        format!("{} rodziny na etat", pl_number((families / assistants * 10.0).round() / 10.0))
    } else {
        "brak zatrudnionych asystentów".to_string()
    };
    Some(NeedLine {
        source: NeedSource::Data,
        raised_by: "gpwr".to_string(),
        raised_by_name: "wyliczenie z danych".to_string(),
        category: rule.need_category.clone(),
        category_text: None,
        goal: rule.task.as_deref().and_then(|t| program.goal_of_task(t)).map(|g| g.id.clone()),
        task: rule.task.clone(),
        description: format!("Zatrudnienie asystenta rodziny: {posts} etatu"),
        cost: rule.yearly_cost.map(|c| to_grosze(c * missing)),
        cost_text: None,
        priority: Some("wysoki".to_string()),
        justification: Some(format!(
            "Na 31.12.{} asystenci mieli pod opieką {} rodzin przy {} etatach ({per_post}); ustawowy limit to {} rodzin na etat (art. 15 ust. 3 ustawy), więc potrzeba {} etatów.",
            program.settings.report_year,
            pl_number(families),
            pl_number(assistants),
            pl_number(rule.limit),
            pl_number((needed * 100.0).ceil() / 100.0),
        )),
        origin: format!(
            "{} = {}, {} = {} (sumy wskaźników)",
            rule.families,
            pl_number(families),
            rule.assistants,
            pl_number(assistants)
        ),
    })
}

/// Next year's co-financing of foster care, projected from the placements.
fn foster_care_need(program: &Program, foster: &FosterCare) -> Option<NeedLine> {
    let settings = program.foster_care.as_ref()?;
    if !foster.reported() {
        return None;
    }
    let share = foster.next_year.share();
    Some(NeedLine {
        source: NeedSource::Data,
        raised_by: "gpwr".to_string(),
        raised_by_name: "wyliczenie z danych".to_string(),
        category: settings.need_category.clone(),
        category_text: None,
        goal: settings.task.as_deref().and_then(|t| program.goal_of_task(t)).map(|g| g.id.clone()),
        task: settings.task.clone(),
        description: format!("Współfinansowanie pobytu dzieci w pieczy zastępczej w {} r.", foster.year + 1),
        cost: Some(share),
        cost_text: None,
        priority: Some("wysoki".to_string()),
        justification: Some(format!(
            "Obowiązek gminy (art. 191 ust. 9 ustawy). Prognoza dla {} dzieci przy założeniu, że obecne umieszczenia trwają dalej, a udział gminy rośnie w rocznicę umieszczenia ({} % w 1. roku, {} % w 2., {} % od 3.). W {} r. udział wyniósł {}.",
            foster.next_year.children,
            settings.rates.percent(1),
            settings.rates.percent(2),
            settings.rates.percent(3),
            foster.year,
            pln(foster.this_year.share())
        )),
        origin: format!(
            "wyliczenie z tabeli umieszczeń {} ({})",
            settings.reporter,
            foster.lines.first().map(|l| l.record()["plik"].to_string()).unwrap_or_default()
        ),
    })
}
