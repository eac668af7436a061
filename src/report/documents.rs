//! The documents for the council, built from the same figures as the consolidated
//! workbook: the needs summary (`potrzeby.docx`, `potrzeby.md`) and a draft of the annual
//! report (`sprawozdanie.docx`) in the shape of the reports municipalities write by hand,
//! which the coordinator then edits.

use super::Collected;
use super::aggregate::IndicatorTotal;
use super::checks::pl_number;
use super::foster::FosterCare;
use super::needs::{CategoryGroup, NO_GOAL, NeedLine, NeedsSummary};
use super::task_figures::{in_plain_list, states_paragraph, table_block, tables_of_task};
use super::year_on_year::{Compared, Notation, sentences};
use crate::docx::{Align, Block, Column, Document, Properties, Row, RowKind, Span, Table};
use crate::foster_care::CareKind;
use crate::polish::{amount, pln};
use crate::program::{Indicator, Program, ValueType};
use crate::records::Record;
use std::collections::{BTreeMap, BTreeSet};

/// Name of the needs summary for Word/Writer.
pub const NEEDS_DOCX: &str = "potrzeby.docx";
/// Name of the needs summary in Markdown.
pub const NEEDS_MD: &str = "potrzeby.md";
/// Name of the draft report.
pub const REPORT_DOCX: &str = "sprawozdanie.docx";

fn properties(program: &Program, title: String) -> Properties {
    Properties {
        title,
        author: program.settings.coordinating_unit.clone(),
        language: "pl-PL".to_string(),
        // Fixed, like the workbooks: the same data gives the same bytes.
        created: format!("{}-03-01T00:00:00Z", program.settings.report_year + 1),
    }
}

fn paragraph(text: impl Into<String>) -> Block {
    Block::Paragraph(vec![Span::plain(text)])
}

fn heading(level: u8, text: impl Into<String>) -> Block {
    Block::Heading { level, text: text.into() }
}

fn row(cells: Vec<String>, kind: RowKind) -> Row {
    Row { cells, kind }
}

fn column(header: &str, width: f64, align: Align) -> Column {
    Column { header: header.to_string(), width, align }
}

/// The needs, one table per category with goal sections and subtotals, then a summary
/// table by category. `heading_level` is the level of the category headings.
fn needs_blocks(program: &Program, needs: &NeedsSummary, heading_level: u8) -> Vec<Block> {
    let mut blocks = Vec::new();
    let groups = needs.groups(program);
    if groups.is_empty() {
        blocks.push(Block::Note("Nie zgłoszono potrzeb.".to_string()));
        return blocks;
    }
    let mut number = 0;
    for (i, group) in groups.iter().enumerate() {
        blocks.push(heading(heading_level, format!("{}. {}", i + 1, group.name)));
        blocks.push(category_table(program, group, &mut number));
        if group.uncosted > 0 {
            blocks.push(Block::Note(format!(
                "W tym {} bez szacunku kosztu (nie wliczono do sumy).",
                crate::polish::count(group.uncosted, "potrzeba", "potrzeby", "potrzeb")
            )));
        }
    }
    blocks.push(heading(heading_level, "Podsumowanie według kategorii"));
    blocks.push(categories_summary(needs, &groups));
    blocks
}

/// The table of one category's needs: a section per goal, numbered from `number` on, with
/// goal subtotals when there are several goals, and the category's total.
fn category_table(program: &Program, group: &CategoryGroup, number: &mut usize) -> Block {
    let mut rows = Vec::new();
    for goal in &group.goals {
        let name = goal
            .goal
            .as_deref()
            .and_then(|g| program.goal(g))
            .map_or(NO_GOAL.to_string(), |g| format!("Cel {}. {}", g.id, g.name));
        rows.push(row(vec![name], RowKind::Section));
        for line in &goal.lines {
            *number += 1;
            rows.push(need_row(*number, line));
        }
        if group.goals.len() > 1 {
            let label = goal.goal.as_deref().map_or("Razem bez celu".to_string(), |g| format!("Razem cel {g}"));
            rows.push(row(
                vec![String::new(), label, String::new(), String::new(), String::new(), amount(goal.subtotal)],
                RowKind::Subtotal,
            ));
        }
    }
    rows.push(row(
        vec![
            String::new(),
            format!("Razem: {}", group.name),
            String::new(),
            String::new(),
            String::new(),
            amount(group.subtotal),
        ],
        RowKind::Total,
    ));
    Block::Table(Table {
        caption: None,
        columns: vec![
            column("Lp.", 0.5, Align::Right),
            column("Potrzeba i uzasadnienie", 4.4, Align::Left),
            column("Zgłasza", 2.2, Align::Left),
            column("Zadanie", 1.05, Align::Left),
            column("Priorytet", 1.15, Align::Left),
            column("Koszt (zł)", 1.4, Align::Right),
        ],
        rows,
    })
}

/// The row of need number `number`: what and why, who raises it, task, priority and cost.
fn need_row(number: usize, line: &NeedLine) -> Row {
    let mut what = line.description.clone();
    if let Some(j) = &line.justification {
        what = format!("{what}\n{j}");
    }
    let cost = match (line.cost, &line.cost_text) {
        (Some(c), _) => amount(c),
        (None, Some(t)) => t.clone(),
        (None, None) => "nie oszacowano".to_string(),
    };
    row(
        vec![
            format!("{number}."),
            what,
            line.raised_by_name.clone(),
            line.task.clone().unwrap_or_default(),
            line.priority.clone().unwrap_or_default(),
            cost,
        ],
        RowKind::Normal,
    )
}

/// The summary table: per category the number of needs, how many lack a cost, and the
/// estimated cost, then the overall total.
fn categories_summary(needs: &NeedsSummary, groups: &[CategoryGroup]) -> Block {
    let mut rows: Vec<Row> = groups
        .iter()
        .map(|g| {
            let count: usize = g.goals.iter().map(|x| x.lines.len()).sum();
            row(vec![g.name.clone(), count.to_string(), g.uncosted.to_string(), amount(g.subtotal)], RowKind::Normal)
        })
        .collect();
    rows.push(row(
        vec!["Ogółem".to_string(), needs.lines.len().to_string(), needs.uncosted().to_string(), amount(needs.total())],
        RowKind::Total,
    ));
    Block::Table(Table {
        caption: Some(format!("Szacowany koszt potrzeb na rok {}", needs.year)),
        columns: vec![
            column("Kategoria", 5.0, Align::Left),
            column("Potrzeby", 1.2, Align::Right),
            column("W tym bez kosztu", 1.5, Align::Right),
            column("Szacowany koszt (zł)", 2.0, Align::Right),
        ],
        rows,
    })
}

/// The standalone needs summary for the council.
pub fn needs_document(program: &Program, needs: &NeedsSummary) -> Document {
    let settings = &program.settings;
    let mut blocks = vec![
        heading(
            1,
            format!(
                "Informacja o potrzebach związanych z realizacją zadań z zakresu wspierania rodziny na rok {}",
                needs.year
            ),
        ),
        paragraph(format!(
            "{} – {}. Zestawienie potrzeb zgłoszonych przez realizatorów programu, koordynatora ({}) oraz wynikających z danych za rok {} (art. 179 ust. 1 ustawy o wspieraniu rodziny i systemie pieczy zastępczej).",
            settings.municipality, settings.program_name, settings.coordinating_unit, settings.report_year
        )),
        Block::Paragraph(vec![
            Span::plain("Łączny szacowany koszt: "),
            Span::bold(pln(needs.total())),
            Span::plain(format!(
                " ({}, w tym {} bez szacunku kosztu).",
                crate::polish::count(needs.lines.len(), "potrzeba", "potrzeby", "potrzeb"),
                needs.uncosted()
            )),
        ]),
    ];
    blocks.extend(needs_blocks(program, needs, 2));
    Document { properties: properties(program, format!("Potrzeby na rok {}", needs.year)), blocks }
}

/// An indicator's total as the report shows it: `1 234`, `69 518,09 zł`, `brak danych`.
pub fn shown_total(program: &Program, total: &IndicatorTotal) -> String {
    let Some(indicator) = program.indicators.iter().find(|i| i.id == total.indicator) else { return String::new() };
    match total.total {
        Some(v) => match indicator.value_type {
            ValueType::Amount => pln((v * 100.0).round() as i64),
            ValueType::YesNo => if v >= 0.5 { "tak" } else { "nie" }.to_string(),
            _ => pl_number(v),
        },
        None if indicator.value_type == ValueType::TaskStatus && total.reporting > 0 => total.states_text(),
        None if total.disagrees() => "wartości niezgodne".to_string(),
        None if total.reporting == 0 && total.not_applicable == total.expected && total.expected > 0 => {
            "nie dotyczy".to_string()
        }
        None => "brak danych".to_string(),
    }
}

/// The draft annual report; with last year's totals (`previous`, by indicator id), each
/// task says what changed since.
pub fn draft_report(
    program: &Program,
    collected: &Collected,
    totals: &[IndicatorTotal],
    needs: &NeedsSummary,
    foster: Option<&FosterCare>,
    previous: Option<&BTreeMap<String, f64>>,
) -> Document {
    let year = program.settings.report_year;
    let returned: BTreeSet<&str> =
        collected.completeness.iter().filter(|r| !r["plik"].is_empty()).map(|r| &r["instytucja"]).collect();
    let mut blocks = vec![title_page(program)];
    blocks.extend(introduction(program, &returned));
    blocks.extend(goals_chapter(program));
    blocks.push(heading(1, format!("Realizacja zadań programu w roku {year}")));
    for goal in &program.goals {
        blocks.push(heading(2, format!("Cel {}. {}", goal.id, goal.name)));
        for task in program.tasks.iter().filter(|t| t.goal == goal.id) {
            blocks.push(heading(3, format!("Zadanie {}. {}", task.id, task.name)));
            blocks.extend(task_blocks(program, collected, totals, &task.id, &returned, previous));
        }
    }
    if let Some(foster) = foster {
        blocks.push(heading(1, "Współfinansowanie pobytu dzieci w pieczy zastępczej"));
        blocks.extend(foster_blocks(program, foster));
    }
    blocks.push(heading(1, format!("Potrzeby związane z realizacją zadań w roku {}", needs.year)));
    blocks.push(Block::Paragraph(vec![
        Span::plain(format!("Łączny szacowany koszt zgłoszonych potrzeb na rok {}: ", needs.year)),
        Span::bold(pln(needs.total())),
        Span::plain(format!(" ({} pozycji, w tym {} bez szacunku kosztu).", needs.lines.len(), needs.uncosted())),
    ]));
    blocks.extend(needs_blocks(program, needs, 2));
    blocks.extend(partners_chapter(program, &returned));
    Document { properties: properties(program, format!("Sprawozdanie GPWR za rok {year}")), blocks }
}

/// The title page of the draft report.
fn title_page(program: &Program) -> Block {
    let s = &program.settings;
    let year = s.report_year;
    Block::TitlePage {
        lines: vec![
            "SPRAWOZDANIE".to_string(),
            format!("za rok {year} z realizacji"),
            s.program_name.clone(),
            "wraz z informacją o potrzebach związanych z realizacją zadań z zakresu wspierania rodziny".to_string(),
            s.municipality.clone(),
        ],
        footer_lines: vec![
            format!("Opracowanie: {}", s.coordinating_unit),
            format!("Marzec {}", year + 1),
            "PROJEKT – do uzupełnienia i zatwierdzenia przez koordynatora".to_string(),
        ],
    }
}

/// The introduction: the legal basis, the programme's resolution, how many institutions
/// returned their forms, and a placeholder for the coordinator's own words.
fn introduction(program: &Program, returned: &BTreeSet<&str>) -> Vec<Block> {
    let s = &program.settings;
    let year = s.report_year;
    let mut basis = format!(
        "Zgodnie z art. 179 ust. 1 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej wójt (burmistrz, prezydent miasta) przedkłada radzie gminy do 31 marca każdego roku roczne sprawozdanie z realizacji zadań z zakresu wspierania rodziny wraz z informacją o potrzebach związanych z realizacją tych zadań. Niniejsze sprawozdanie obejmuje okres od 1 stycznia do 31 grudnia {year} r."
    );
    if let Some(resolution) = &s.resolution {
        basis.push_str(&format!(
            " {} został przyjęty {}.",
            s.program_name,
            resolution.trim_end_matches('.').replacen("Uchwała", "Uchwałą", 1)
        ));
    }
    vec![
        heading(1, "Wstęp"),
        paragraph(basis),
        paragraph(format!(
            "Sprawozdanie opracował {} na podstawie informacji przekazanych przez realizatorów programu: formularze odesłało {} z {} instytucji.",
            s.coordinating_unit,
            returned.len(),
            program.institutions.len()
        )),
        Block::Note("[Do uzupełnienia przez koordynatora: krótka charakterystyka sytuacji rodzin w gminie i najważniejsze wnioski.]".to_string()),
    ]
}

/// The chapter listing the programme's goals.
fn goals_chapter(program: &Program) -> Vec<Block> {
    vec![
        heading(1, "Cele programu"),
        paragraph("Program realizowany jest przez następujące cele szczegółowe:"),
        Block::Bullets(
            program.goals.iter().map(|g| vec![Span::bold(format!("{}. ", g.id)), Span::plain(&g.name)]).collect(),
        ),
    ]
}

/// The closing chapter: every institution of the programme and whether it sent its form.
fn partners_chapter(program: &Program, returned: &BTreeSet<&str>) -> Vec<Block> {
    vec![
        heading(1, "Partnerzy realizujący program"),
        Block::Table(Table {
            caption: None,
            columns: vec![column("Instytucja", 6.0, Align::Left), column("Przekazała informacje", 1.6, Align::Left)],
            rows: program
                .institutions
                .iter()
                .map(|i| {
                    let sent = if returned.contains(&i.id.as_str()) { "tak" } else { "nie" };
                    row(vec![i.name.clone(), sent.to_string()], RowKind::Normal)
                })
                .collect(),
        }),
    ]
}

/// One task: who carries it out, their descriptions, a table of indicator values, their
/// activities; or a sentence that nothing was reported.
fn task_blocks(
    program: &Program,
    collected: &Collected,
    totals: &[IndicatorTotal],
    task: &str,
    returned: &BTreeSet<&str>,
    previous: Option<&BTreeMap<String, f64>>,
) -> Vec<Block> {
    let mut blocks = Vec::new();
    let indicators: Vec<_> = program.indicators.iter().filter(|i| i.task == task).collect();
    // In the order first named; a set, since an indicator may name thousands.
    let mut seen = std::collections::HashSet::new();
    let carriers: Vec<&str> =
        indicators.iter().flat_map(|i| &i.reported_by).map(String::as_str).filter(|r| seen.insert(*r)).collect();
    let name = |id: &str| program.institution(id).map_or(id.to_string(), |i| i.name.clone());
    if !carriers.is_empty() {
        blocks.push(Block::Paragraph(vec![
            Span::bold("Realizatorzy: "),
            Span::plain(carriers.iter().map(|c| name(c)).collect::<Vec<_>>().join("; ")),
        ]));
    }
    let descriptions: Vec<_> = collected.descriptions.iter().filter(|d| &d["zadanie"] == task).collect();
    for d in &descriptions {
        blocks
            .push(Block::Paragraph(vec![Span::bold(format!("{}: ", name(&d["instytucja"]))), Span::plain(&d["opis"])]));
    }
    let listed: Vec<&Indicator> = indicators.iter().copied().filter(|i| in_plain_list(i)).collect();
    let task_totals: Vec<&IndicatorTotal> =
        totals.iter().filter(|t| listed.iter().any(|i| i.id == t.indicator)).collect();
    let any_value = totals.iter().any(|t| t.reporting > 0 && indicators.iter().any(|i| i.id == t.indicator));
    if task_totals.iter().any(|t| t.reporting > 0) {
        blocks.push(indicators_table(program, &listed, &task_totals));
    }
    blocks.extend(tables_of_task(program, task).into_iter().map(|t| table_block(program, t, totals)));
    for state in indicators.iter().filter(|i| i.value_type == ValueType::TaskStatus) {
        blocks.push(states_paragraph(collected, state));
    }
    if let Some(previous) = previous {
        blocks.extend(year_on_year_blocks(program.settings.report_year - 1, &indicators, totals, previous));
    }
    let activities: Vec<_> = collected.activities.iter().filter(|a| &a["zadanie"] == task).collect();
    if !activities.is_empty() {
        blocks.push(Block::Paragraph(vec![Span::bold("Działania:")]));
        blocks.push(Block::Bullets(activities.iter().map(|a| activity_item(a, &name(&a["instytucja"]))).collect()));
    }
    if descriptions.is_empty() && !any_value && activities.is_empty() {
        let none_returned = carriers.iter().all(|c| !returned.contains(c));
        let why = if none_returned { " (realizatorzy nie odesłali formularzy)" } else { "" };
        blocks.push(Block::Note(format!(
            "Zadanie nie było realizowane albo realizatorzy nie przekazali informacji o jego realizacji{why}."
        )));
    }
    blocks
}

/// The table of a task's indicators: label, total as the report shows it, and how many of
/// the expected institutions reported.
fn indicators_table(program: &Program, indicators: &[&Indicator], task_totals: &[&IndicatorTotal]) -> Block {
    Block::Table(Table {
        caption: None,
        columns: vec![
            column("Wskaźnik", 5.0, Align::Left),
            column("Wartość", 1.6, Align::Right),
            column("Podało", 1.1, Align::Right),
        ],
        rows: task_totals
            .iter()
            .map(|t| {
                let indicator = indicators.iter().find(|i| i.id == t.indicator);
                // A breakdown's parts are indented under their whole.
                let indent = if indicator.is_some_and(|i| i.part_of.is_some()) { "\u{2003}" } else { "" };
                let label = indicator.map_or(String::new(), |i| format!("{indent}{}", i.label));
                row(vec![label, shown_total(program, t), format!("{} z {}", t.reporting, t.expected)], RowKind::Normal)
            })
            .collect(),
    })
}

/// What changed in a task's indicators since `year` (last year's totals in `previous`):
/// a lead-in and one bullet per indicator with a number in both years; nothing when none has.
fn year_on_year_blocks(
    year: i32,
    indicators: &[&Indicator],
    totals: &[IndicatorTotal],
    previous: &BTreeMap<String, f64>,
) -> Vec<Block> {
    let compared: Vec<Compared> = indicators
        .iter()
        .map(|i| {
            let numeric = i.value_type != ValueType::YesNo;
            Compared {
                label: &i.label,
                notation: if i.value_type == ValueType::Amount { Notation::Money } else { Notation::Number },
                before: previous.get(&i.id).copied().filter(|_| numeric),
                now: totals.iter().find(|t| t.indicator == i.id).and_then(|t| t.total).filter(|_| numeric),
            }
        })
        .collect();
    let said = sentences(&compared);
    if said.is_empty() {
        return Vec::new();
    }
    vec![
        Block::Paragraph(vec![Span::bold(format!("W porównaniu z rokiem {year}:"))]),
        Block::Bullets(said.into_iter().map(|s| vec![Span::plain(s)]).collect()),
    ]
}

/// One activity as a bullet: its name, the institution `who` ran it, and when, how many
/// took part and what it was.
fn activity_item(a: &Record, who: &str) -> Vec<Span> {
    let date = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_or(d.to_string(), |x| x.format("%d.%m.%Y").to_string())
    };
    let mut when = date(&a["data_od"]);
    if !a["data_do"].is_empty() {
        when = format!("{when}–{}", date(&a["data_do"]));
    }
    let people = if a["liczba_uczestnikow"].is_empty() {
        a["liczba_uczestnikow_tekst"].to_string()
    } else {
        format!("uczestników: {}", &a["liczba_uczestnikow"])
    };
    let details =
        [when, people, a["opis"].to_string()].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join("; ");
    vec![
        Span::bold(a["nazwa"].to_string()),
        Span::plain(format!(" ({who})")),
        Span::plain(if details.is_empty() { String::new() } else { format!(" – {details}") }),
    ]
}

fn foster_blocks(program: &Program, foster: &FosterCare) -> Vec<Block> {
    let rates = program.foster_care.as_ref().map(|f| f.rates.clone()).unwrap_or_default();
    let (year, next) = (foster.year, foster.year + 1);
    let mut blocks = vec![paragraph(format!(
        "Pieczę zastępczą organizuje powiat. Gmina właściwa ze względu na miejsce zamieszkania dziecka współfinansuje wydatki na opiekę i wychowanie dziecka w pieczy zastępczej (art. 191 ust. 9 ustawy): {} % wydatków w pierwszym roku pobytu, {} % w drugim i {} % w trzecim i następnych latach pobytu.",
        rates.percent(1),
        rates.percent(2),
        rates.percent(3)
    ))];
    if !foster.reported() {
        blocks.push(Block::Note("Instytucja prowadząca pieczę nie przekazała tabeli umieszczeń.".to_string()));
        return blocks;
    }
    let family = foster.this_year.kind(CareKind::Family).co_financed_children;
    let institutional = foster.this_year.kind(CareKind::Institutional).co_financed_children;
    blocks.push(paragraph(format!(
        "W roku {year} gmina współfinansowała pobyt {} dzieci, w tym {family} w rodzinnej pieczy zastępczej i {institutional} w instytucjonalnej; udział gminy wyniósł {}. Przy założeniu, że obecne umieszczenia trwają dalej, a udział gminy rośnie w rocznicę umieszczenia, w roku {next} wyniesie on {}.",
        foster.this_year.co_financed_children,
        pln(foster.this_year.share()),
        pln(foster.next_year.share())
    )));
    let mut rows = Vec::new();
    for kind in [CareKind::Family, CareKind::Institutional] {
        for (form, t) in foster.this_year.by_form.iter().filter(|(f, _)| f.kind() == kind) {
            let projected = foster.next_year.by_form.get(form).map_or(0, |n| n.share);
            rows.push(row(
                vec![form.polish().to_string(), t.co_financed_children.to_string(), amount(t.share), amount(projected)],
                RowKind::Normal,
            ));
        }
        rows.push(row(
            vec![
                format!("Razem {}", kind.polish()),
                foster.this_year.kind(kind).co_financed_children.to_string(),
                amount(foster.this_year.kind(kind).share),
                amount(foster.next_year.kind(kind).share),
            ],
            RowKind::Subtotal,
        ));
    }
    rows.push(row(
        vec![
            "Ogółem".to_string(),
            foster.this_year.co_financed_children.to_string(),
            amount(foster.this_year.share()),
            amount(foster.next_year.share()),
        ],
        RowKind::Total,
    ));
    blocks.push(Block::Table(Table {
        caption: Some(format!("Współfinansowanie pieczy zastępczej w roku {year} i prognoza na rok {next}")),
        columns: vec![
            column("Forma pieczy zastępczej", 4.0, Align::Left),
            column("Liczba dzieci", 1.2, Align::Right),
            column(&format!("Udział gminy {year} (zł)"), 1.8, Align::Right),
            column(&format!("Prognoza {next} (zł)"), 1.8, Align::Right),
        ],
        rows,
    }));
    blocks
}
