//! `docx`: writes one small document model as a Word file (.docx, Office Open XML) and as Markdown,
//! byte-deterministically (fixed zip timestamps and order, no clock), so the needs summary and the
//! draft council report come out identical for identical inputs without pulling in a docx crate.
//!
//! The model is deliberately small: a title page, headings, paragraphs of bold/italic spans, notes,
//! bullet lists, tables with group/subtotal/total rows, and page breaks. All text is supplied by
//! the caller (Polish); the only text this module adds is the page footer "Strona X z Y".
//!
//! Text from outside is made safe on the way out: characters XML 1.0 forbids and other control
//! characters are dropped (tab, line feed and carriage return stay), `\r\n` and `\r` become line
//! breaks, and everything is escaped for XML or Markdown respectively.

use std::fmt::Write as _;
use std::io::Write as _;

// ---------------------------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------------------------

/// A whole document: its metadata and its content, in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Metadata written to `docProps/core.xml` (not shown on the pages).
    pub properties: Properties,
    /// The content, top to bottom.
    pub blocks: Vec<Block>,
}

/// Document metadata (File > Properties in Word).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Properties {
    /// Document title (`dc:title`).
    pub title: String,
    /// Author (`dc:creator` and `cp:lastModifiedBy`), e.g. the institution.
    pub author: String,
    /// Language tag, e.g. `"pl-PL"`; also the proofing language of all text. Empty means `"pl-PL"`.
    pub language: String,
    /// Creation time as an ISO 8601 / W3CDTF string, e.g. `"2026-03-01T00:00:00Z"`, written as-is
    /// (also as the modification time). Empty leaves both dates out. Never taken from the clock.
    pub created: String,
}

impl Default for Properties {
    fn default() -> Self {
        Properties { title: String::new(), author: String::new(), language: "pl-PL".into(), created: String::new() }
    }
}

impl Properties {
    /// Properties with the given title, author and creation time, in Polish (`pl-PL`).
    pub fn new(title: impl Into<String>, author: impl Into<String>, created: impl Into<String>) -> Self {
        Properties { title: title.into(), author: author.into(), language: "pl-PL".into(), created: created.into() }
    }
}

/// One block of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A title page: lines centred, the first big and bold, then a page break after it.
    ///
    /// `footer_lines` (e.g. "Opracowanie: MOPS", "Marzec 2026") are placed lower on the page.
    /// When the document starts with a title page, that page shows no page-number footer.
    TitlePage {
        /// The title (first line, large and bold) and subtitles.
        lines: Vec<String>,
        /// Lines near the bottom of the title page (author, date).
        footer_lines: Vec<String>,
    },
    /// A heading; `level` is 1..=3 (values outside are clamped).
    Heading {
        /// 1 (chapter) to 3 (subsection).
        level: u8,
        /// The heading text.
        text: String,
    },
    /// A paragraph of body text.
    Paragraph(Vec<Span>),
    /// A note in smaller italic grey text (e.g. "Brak danych od realizatorów.").
    Note(String),
    /// A bulleted list; each item is a run of spans.
    Bullets(Vec<Vec<Span>>),
    /// A table, with its optional caption above it.
    Table(Table),
    /// Starts a new page. A page break at the very end of the document is ignored.
    PageBreak,
}

impl Block {
    /// A heading of the given level (1..=3).
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block::Heading { level, text: text.into() }
    }

    /// A paragraph of plain text.
    pub fn text(text: impl Into<String>) -> Self {
        Block::Paragraph(vec![Span::plain(text)])
    }

    /// A paragraph made of spans.
    pub fn paragraph(spans: impl IntoIterator<Item = Span>) -> Self {
        Block::Paragraph(spans.into_iter().collect())
    }

    /// A note (small italic grey text).
    pub fn note(text: impl Into<String>) -> Self {
        Block::Note(text.into())
    }

    /// A bulleted list of plain-text items.
    pub fn bullets<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Self {
        Block::Bullets(items.into_iter().map(|item| vec![Span::plain(item)]).collect())
    }
}

/// A piece of text with uniform formatting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Span {
    /// The text; `\n` is a line break, `\t` a tab.
    pub text: String,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
}

impl Span {
    /// Unformatted text.
    pub fn plain(text: impl Into<String>) -> Self {
        Span { text: text.into(), bold: false, italic: false }
    }

    /// Bold text.
    pub fn bold(text: impl Into<String>) -> Self {
        Span { text: text.into(), bold: true, italic: false }
    }

    /// Italic text.
    pub fn italic(text: impl Into<String>) -> Self {
        Span { text: text.into(), bold: false, italic: true }
    }
}

/// A table: a header row from the columns, then the rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The columns, left to right; their headers form the (repeating) header row.
    pub columns: Vec<Column>,
    /// The body rows. A row with fewer cells than columns is padded with empty cells; cells
    /// beyond the last column are not shown.
    pub rows: Vec<Row>,
    /// Caption shown above the table, e.g. "Tabela 3. Wydatki na zadania".
    pub caption: Option<String>,
}

impl Table {
    /// A table with these columns and rows and no caption.
    pub fn new(columns: Vec<Column>, rows: Vec<Row>) -> Self {
        Table { columns, rows, caption: None }
    }

    /// The same table with a caption.
    #[must_use]
    pub fn with_caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Relative width; the weights are scaled to fill the text width. Non-positive or
    /// non-finite weights count as 1.
    pub width: f64,
    /// Horizontal alignment of the column's cells and header.
    pub align: Align,
}

impl Column {
    /// A left-aligned column (text).
    pub fn left(header: impl Into<String>, width: f64) -> Self {
        Column { header: header.into(), width, align: Align::Left }
    }

    /// A right-aligned column (numbers, amounts).
    pub fn right(header: impl Into<String>, width: f64) -> Self {
        Column { header: header.into(), width, align: Align::Right }
    }

    /// A centred column.
    pub fn center(header: impl Into<String>, width: f64) -> Self {
        Column { header: header.into(), width, align: Align::Center }
    }
}

/// Horizontal alignment in a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Flush right (numbers).
    Right,
    /// Centred.
    Center,
}

/// A table body row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cell texts, one per column (a `Section` row uses only the first).
    pub cells: Vec<String>,
    /// How the row is shown.
    pub kind: RowKind,
}

impl Row {
    /// An ordinary row.
    pub fn normal<S: Into<String>>(cells: impl IntoIterator<Item = S>) -> Self {
        Row { cells: cells.into_iter().map(Into::into).collect(), kind: RowKind::Normal }
    }

    /// A subtotal row (bold, light shading).
    pub fn subtotal<S: Into<String>>(cells: impl IntoIterator<Item = S>) -> Self {
        Row { cells: cells.into_iter().map(Into::into).collect(), kind: RowKind::Subtotal }
    }

    /// A grand-total row (bold, darker shading, top border).
    pub fn total<S: Into<String>>(cells: impl IntoIterator<Item = S>) -> Self {
        Row { cells: cells.into_iter().map(Into::into).collect(), kind: RowKind::Total }
    }

    /// A group header spanning all columns.
    pub fn section(text: impl Into<String>) -> Self {
        Row { cells: vec![text.into()], kind: RowKind::Section }
    }
}

/// How a table row is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowKind {
    /// Plain row.
    #[default]
    Normal,
    /// Bold, light shading.
    Subtotal,
    /// Bold, darker shading, a rule above.
    Total,
    /// One cell spanning all columns (the first cell's text), bold and shaded: a group header
    /// inside a table. It is kept on the same page as the row after it.
    Section,
}

/// Why a .docx could not be written. Messages are Polish.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// The zip archive could not be assembled.
    #[error("nie można utworzyć pliku .docx (archiwum zip)")]
    Zip(#[from] zip::result::ZipError),
    /// Writing into the archive failed.
    #[error("nie można utworzyć pliku .docx")]
    Io(#[from] std::io::Error),
}

// ---------------------------------------------------------------------------------------------
// Text safety
// ---------------------------------------------------------------------------------------------

/// Drops characters XML 1.0 forbids and all other control characters except `\t` and `\n`;
/// `\r\n` and a lone `\r` become `\n`.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' | '\t' => out.push(c),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `text` escaped for XML character data or attribute values. `text` must be clean.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// `text` cleaned and XML-escaped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, &clean(text));
    out
}

// ---------------------------------------------------------------------------------------------
// DOCX: page geometry and colours
// ---------------------------------------------------------------------------------------------

/// A4 width in twips (1/20 pt).
const PAGE_WIDTH: u32 = 11906;
/// A4 height in twips.
const PAGE_HEIGHT: u32 = 16838;
/// Page margins: 2.5 cm.
const MARGIN: u32 = 1418;
/// Width available for text.
const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// Height available for text.
const TEXT_HEIGHT: u32 = PAGE_HEIGHT - 2 * MARGIN;

/// Headings, title, table header background.
const DARK_BLUE: &str = "1F3864";
/// Table grid lines.
const GRID_GREY: &str = "A6A6A6";
/// Section (group header) rows.
const SECTION_FILL: &str = "D9E2F3";
/// Subtotal rows.
const SUBTOTAL_FILL: &str = "F2F2F2";
/// Total rows.
const TOTAL_FILL: &str = "D9D9D9";

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The zip entries, in the order they are written.
pub const PART_NAMES: [&str; 11] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/_rels/document.xml.rels",
    "word/footer1.xml",
    "word/footer2.xml",
];

// ---------------------------------------------------------------------------------------------
// DOCX: entry point
// ---------------------------------------------------------------------------------------------

/// Renders `doc` as a .docx file (the bytes of the zip archive).
///
/// The output depends only on `doc`: entries in the fixed order [`PART_NAMES`], each dated
/// 1980-01-01 00:00, deflated, without extra fields. Page: A4 portrait, 2.5 cm margins, Calibri
/// 11 pt, proofing language from [`Properties::language`], footer "Strona X z Y" (not on a
/// leading title page).
///
/// # Errors
///
/// [`DocxError`] only if the in-memory zip writer fails, which does not happen in practice.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let language = if doc.properties.language.trim().is_empty() { "pl-PL" } else { doc.properties.language.as_str() };
    let language = xml(language);
    let title_first = matches!(doc.blocks.first(), Some(Block::TitlePage { .. }));
    let contents: [String; 11] = [
        content_types_xml(),
        package_rels_xml(),
        core_xml(&doc.properties, &language),
        app_xml(),
        document_xml(&doc.blocks, title_first),
        styles_xml(&language),
        numbering_xml(),
        settings_xml(&language),
        document_rels_xml(),
        footer_xml(true),
        footer_xml(false),
    ];

    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::DEFAULT)
        .system(zip::System::Unix)
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in PART_NAMES.iter().zip(contents.iter()) {
        writer.start_file(*name, options)?;
        writer.write_all(content.as_bytes())?;
    }
    Ok(writer.finish()?.into_inner())
}

// ---------------------------------------------------------------------------------------------
// DOCX: package parts
// ---------------------------------------------------------------------------------------------

fn content_types_xml() -> String {
    const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut s = String::from(XML_DECL);
    s.push_str("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">");
    s.push_str(
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    );
    s.push_str("<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    let overrides = [
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml".to_string()),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml".to_string()),
        ("/word/document.xml", format!("{WML}.document.main+xml")),
        ("/word/styles.xml", format!("{WML}.styles+xml")),
        ("/word/numbering.xml", format!("{WML}.numbering+xml")),
        ("/word/settings.xml", format!("{WML}.settings+xml")),
        ("/word/footer1.xml", format!("{WML}.footer+xml")),
        ("/word/footer2.xml", format!("{WML}.footer+xml")),
    ];
    for (part, kind) in overrides {
        let _ = write!(s, "<Override PartName=\"{part}\" ContentType=\"{kind}\"/>");
    }
    s.push_str("</Types>");
    s
}

fn package_rels_xml() -> String {
    let mut s = String::from(XML_DECL);
    s.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    s.push_str("<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>");
    s.push_str("<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>");
    s.push_str("<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>");
    s.push_str("</Relationships>");
    s
}

fn document_rels_xml() -> String {
    let rels = [
        ("rId1", "styles", "styles.xml"),
        ("rId2", "settings", "settings.xml"),
        ("rId3", "numbering", "numbering.xml"),
        ("rId4", "footer", "footer1.xml"),
        ("rId5", "footer", "footer2.xml"),
    ];
    let mut s = String::from(XML_DECL);
    s.push_str("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (id, kind, target) in rels {
        let _ = write!(
            s,
            "<Relationship Id=\"{id}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" Target=\"{target}\"/>"
        );
    }
    s.push_str("</Relationships>");
    s
}

fn core_xml(props: &Properties, language: &str) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
    );
    let _ = write!(s, "<dc:title>{}</dc:title>", xml(&props.title));
    let _ = write!(s, "<dc:creator>{}</dc:creator>", xml(&props.author));
    let _ = write!(s, "<cp:lastModifiedBy>{}</cp:lastModifiedBy>", xml(&props.author));
    let _ = write!(s, "<dc:language>{language}</dc:language>");
    let created = xml(props.created.trim());
    if !created.is_empty() {
        let _ = write!(s, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:created>");
        let _ = write!(s, "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{created}</dcterms:modified>");
    }
    s.push_str("</cp:coreProperties>");
    s
}

fn app_xml() -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>gpwr</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>\
         <LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>\
         </Properties>",
    );
    s
}

fn settings_xml(language: &str) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<w:settings xmlns:w=\"{NS_W}\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"708\"/>\
         <w:hyphenationZone w:val=\"425\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         <w:themeFontLang w:val=\"{language}\"/><w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/></w:settings>"
    );
    s
}

fn numbering_xml() -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<w:numbering xmlns:w=\"{NS_W}\"><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>\
         <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>\
         <w:pPr><w:tabs><w:tab w:val=\"num\" w:pos=\"720\"/></w:tabs><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr>\
         <w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:cs=\"Calibri\" w:hint=\"default\"/></w:rPr></w:lvl></w:abstractNum>\
         <w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
    );
    s
}

/// The page footer: "Strona X z Y" with PAGE and NUMPAGES fields, or an empty one (title page).
fn footer_xml(with_page_numbers: bool) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>");
    if with_page_numbers {
        let field = |s: &mut String, instr: &str| {
            let _ = write!(
                s,
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> {instr} </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
            );
        };
        s.push_str("<w:r><w:t xml:space=\"preserve\">Strona </w:t></w:r>");
        field(&mut s, "PAGE");
        s.push_str("<w:r><w:t xml:space=\"preserve\"> z </w:t></w:r>");
        field(&mut s, "NUMPAGES");
    }
    s.push_str("</w:p></w:ftr>");
    s
}

// ---------------------------------------------------------------------------------------------
// DOCX: styles
// ---------------------------------------------------------------------------------------------

/// One paragraph style of styles.xml.
struct ParaStyle {
    id: &'static str,
    name: &'static str,
    based_on: Option<&'static str>,
    next: Option<&'static str>,
    /// Pre-rendered `w:pPr` children (in schema order).
    ppr: String,
    /// Pre-rendered `w:rPr` children (in schema order).
    rpr: String,
}

/// `word/styles.xml`: document defaults, Word's built-in defaults, gpwr's paragraph styles and
/// its table style, with `language` as the proofing language.
fn styles_xml(language: &str) -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:styles xmlns:w=\"{NS_W}\">");
    let _ = writeln!(s, "{}", doc_defaults_xml(language));
    s.push_str(BUILT_IN_STYLES);
    for style in &paragraph_styles() {
        paragraph_style_xml(&mut s, style);
    }
    let _ = writeln!(s, "{}", table_style_xml());
    s.push_str("</w:styles>");
    s
}

/// `w:docDefaults`: Calibri 11 pt in `language`, 6 pt after each paragraph, 1.1 line spacing.
fn doc_defaults_xml(language: &str) -> String {
    format!(
        "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:eastAsia=\"Calibri\" w:hAnsi=\"Calibri\" w:cs=\"Calibri\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"{language}\" w:eastAsia=\"{language}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    )
}

/// The default character, table and numbering styles Word expects, one per line.
const BUILT_IN_STYLES: &str = concat!(
    "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/>\
     <w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\n",
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/>\
     <w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>\
     <w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\n",
    "<w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\"><w:name w:val=\"No List\"/><w:uiPriority w:val=\"99\"/>\
     <w:semiHidden/><w:unhideWhenUsed/></w:style>\n",
);

/// Every paragraph style, in the order styles.xml lists them.
fn paragraph_styles() -> Vec<ParaStyle> {
    let normal = ParaStyle {
        id: "Normal",
        name: "Normal",
        based_on: None,
        next: None,
        ppr: "<w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/><w:jc w:val=\"both\"/>".into(),
        rpr: String::new(),
    };
    let mut styles = vec![normal];
    styles.extend(title_page_styles());
    styles.extend([
        heading_style(1, 32, 480, 160, DARK_BLUE),
        heading_style(2, 26, 360, 120, DARK_BLUE),
        heading_style(3, 23, 240, 80, "2F5496"),
    ]);
    styles.extend(body_text_styles());
    styles.extend(table_text_styles());
    styles.push(ParaStyle {
        id: "Footer",
        name: "footer",
        based_on: Some("Normal"),
        next: None,
        ppr: "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>"
            .into(),
        rpr: "<w:color w:val=\"595959\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>".into(),
    });
    styles
}

/// The title page's styles: the title, its subtitles and the lines near the bottom.
fn title_page_styles() -> [ParaStyle; 3] {
    [
        ParaStyle {
            id: "Title",
            name: "Title",
            based_on: Some("Normal"),
            next: Some("Subtitle"),
            ppr: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"0\" w:after=\"480\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>"
                .into(),
            rpr: format!("<w:b/><w:bCs/><w:color w:val=\"{DARK_BLUE}\"/><w:kern w:val=\"28\"/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>"),
        },
        ParaStyle {
            id: "Subtitle",
            name: "Subtitle",
            based_on: Some("Normal"),
            next: Some("Normal"),
            ppr: "<w:keepNext/><w:spacing w:before=\"0\" w:after=\"160\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>".into(),
            rpr: format!("<w:color w:val=\"{DARK_BLUE}\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"),
        },
        ParaStyle {
            id: "TitlePageFooter",
            name: "Title Page Footer",
            based_on: Some("Normal"),
            next: Some("Normal"),
            ppr: "<w:spacing w:before=\"0\" w:after=\"60\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>".into(),
            rpr: "<w:color w:val=\"404040\"/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/>".into(),
        },
    ]
}

/// The style of headings of `level` (1..=3): bold, `size` half-points, kept with the next
/// paragraph, listed in the navigation outline.
fn heading_style(level: u8, size: u32, before: u32, after: u32, color: &str) -> ParaStyle {
    let (id, name) = match level {
        1 => ("Heading1", "heading 1"),
        2 => ("Heading2", "heading 2"),
        _ => ("Heading3", "heading 3"),
    };
    ParaStyle {
        id,
        name,
        based_on: Some("Normal"),
        next: Some("Normal"),
        ppr: format!(
            "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"{after}\" w:line=\"240\" w:lineRule=\"auto\"/>\
             <w:jc w:val=\"left\"/><w:outlineLvl w:val=\"{}\"/>",
            level - 1
        ),
        rpr: format!("<w:b/><w:bCs/><w:color w:val=\"{color}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"),
    }
}

/// Styles of body text other than plain paragraphs: table captions, notes and list items.
fn body_text_styles() -> [ParaStyle; 3] {
    [
        ParaStyle {
            id: "Caption",
            name: "caption",
            based_on: Some("Normal"),
            next: Some("Normal"),
            ppr: "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"80\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"left\"/>"
                .into(),
            rpr: format!("<w:b/><w:bCs/><w:color w:val=\"{DARK_BLUE}\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>"),
        },
        ParaStyle {
            id: "Note",
            name: "Note",
            based_on: Some("Normal"),
            next: Some("Normal"),
            ppr: "<w:spacing w:before=\"0\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/>".into(),
            rpr: "<w:i/><w:iCs/><w:color w:val=\"595959\"/><w:sz w:val=\"19\"/><w:szCs w:val=\"19\"/>".into(),
        },
        ParaStyle {
            id: "ListParagraph",
            name: "List Paragraph",
            based_on: Some("Normal"),
            next: None,
            ppr: "<w:spacing w:after=\"60\"/><w:ind w:left=\"720\" w:hanging=\"360\"/><w:contextualSpacing/><w:jc w:val=\"left\"/>".into(),
            rpr: String::new(),
        },
    ]
}

/// The styles of text in table cells and of the (white, bold) header row.
fn table_text_styles() -> [ParaStyle; 2] {
    [
        ParaStyle {
            id: "TableText",
            name: "Table Text",
            based_on: Some("Normal"),
            next: None,
            ppr: "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"left\"/>"
                .into(),
            rpr: "<w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>".into(),
        },
        ParaStyle {
            id: "TableHeading",
            name: "Table Heading",
            based_on: Some("TableText"),
            next: None,
            ppr: "<w:keepNext/>".into(),
            rpr: "<w:b/><w:bCs/><w:color w:val=\"FFFFFF\"/>".into(),
        },
    ]
}

/// Appends one paragraph style's `w:style` element, ending the line after it.
fn paragraph_style_xml(s: &mut String, style: &ParaStyle) {
    let default = if style.id == "Normal" { " w:default=\"1\"" } else { "" };
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\"{default} w:styleId=\"{}\"><w:name w:val=\"{}\"/>",
        style.id, style.name
    );
    if let Some(base) = style.based_on {
        let _ = write!(s, "<w:basedOn w:val=\"{base}\"/>");
    }
    if let Some(next) = style.next {
        let _ = write!(s, "<w:next w:val=\"{next}\"/>");
    }
    s.push_str("<w:qFormat/>");
    if !style.ppr.is_empty() {
        let _ = write!(s, "<w:pPr>{}</w:pPr>", style.ppr);
    }
    if !style.rpr.is_empty() {
        let _ = write!(s, "<w:rPr>{}</w:rPr>", style.rpr);
    }
    s.push_str("</w:style>\n");
}

/// The `GpwrTable` table style: grey grid, compact cells, a dark blue header row that repeats.
fn table_style_xml() -> String {
    format!(
        "<w:style w:type=\"table\" w:styleId=\"GpwrTable\"><w:name w:val=\"GPWR Table\"/><w:basedOn w:val=\"TableNormal\"/>\
         <w:uiPriority w:val=\"59\"/><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>\
         <w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr><w:tblPr>{}{}</w:tblPr>\
         <w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/><w:bCs/><w:color w:val=\"FFFFFF\"/></w:rPr><w:tblPr/><w:trPr><w:tblHeader/></w:trPr>\
         <w:tcPr><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{DARK_BLUE}\"/></w:tcPr></w:tblStylePr></w:style>",
        table_borders(),
        table_cell_margins()
    )
}

fn table_borders() -> String {
    let mut s = String::from("<w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(s, "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"{GRID_GREY}\"/>");
    }
    s.push_str("</w:tblBorders>");
    s
}

fn table_cell_margins() -> &'static str {
    "<w:tblCellMar><w:top w:w=\"28\" w:type=\"dxa\"/><w:left w:w=\"85\" w:type=\"dxa\"/>\
     <w:bottom w:w=\"28\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>"
}

// ---------------------------------------------------------------------------------------------
// DOCX: document body
// ---------------------------------------------------------------------------------------------

/// Paragraph properties, rendered in schema order.
#[derive(Default)]
struct Ppr<'a> {
    style: Option<&'a str>,
    page_break_before: bool,
    bullet: bool,
    spacing_before: Option<u32>,
    /// A near-zero-height paragraph (only carries a page break).
    tiny: bool,
}

/// Character formatting of one run.
#[derive(Clone, Copy, Default)]
struct Rpr {
    bold: bool,
    italic: bool,
}

/// Accumulates `word/document.xml`'s body.
struct Body {
    out: String,
    /// A page break is due before the next paragraph.
    pending_break: bool,
    /// Something has been written (a title page after content starts on a new page).
    started: bool,
}

fn document_xml(blocks: &[Block], title_first: bool) -> String {
    let mut body = Body { out: String::new(), pending_break: false, started: false };
    for block in blocks {
        body.block(block);
    }
    let mut s = String::from(XML_DECL);
    let _ = writeln!(s, "<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>");
    s.push_str(&body.out);
    s.push_str("<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>");
    if title_first {
        s.push_str("<w:footerReference w:type=\"first\" r:id=\"rId5\"/>");
    }
    let _ = write!(
        s,
        "<w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/><w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" \
         w:left=\"{MARGIN}\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/><w:cols w:space=\"708\"/>"
    );
    if title_first {
        s.push_str("<w:titlePg/>");
    }
    s.push_str("<w:docGrid w:linePitch=\"360\"/></w:sectPr></w:body></w:document>");
    s
}

impl Body {
    fn block(&mut self, block: &Block) {
        match block {
            Block::TitlePage { lines, footer_lines } => self.title_page(lines, footer_lines),
            Block::Heading { level, text } => {
                let style = match level {
                    0 | 1 => "Heading1",
                    2 => "Heading2",
                    _ => "Heading3",
                };
                self.paragraph(Ppr { style: Some(style), ..Ppr::default() }, &[Span::plain(text.as_str())]);
            }
            Block::Paragraph(spans) => self.paragraph(Ppr::default(), spans),
            Block::Note(text) => {
                self.paragraph(Ppr { style: Some("Note"), ..Ppr::default() }, &[Span::plain(text.as_str())])
            }
            Block::Bullets(items) => {
                for item in items {
                    self.paragraph(Ppr { style: Some("ListParagraph"), bullet: true, ..Ppr::default() }, item);
                }
            }
            Block::Table(table) => self.table(table),
            Block::PageBreak => {
                if self.pending_break {
                    // Two breaks in a row: an empty page between them.
                    self.paragraph(Ppr::default(), &[]);
                }
                self.pending_break = self.started;
            }
        }
    }

    /// Writes `<w:pPr>`, consuming a pending page break.
    fn ppr(&mut self, mut ppr: Ppr<'_>) {
        if self.pending_break {
            ppr.page_break_before = true;
            self.pending_break = false;
        }
        self.started = true;
        let s = &mut self.out;
        s.push_str("<w:pPr>");
        if let Some(style) = ppr.style {
            let _ = write!(s, "<w:pStyle w:val=\"{style}\"/>");
        }
        if ppr.page_break_before {
            s.push_str("<w:pageBreakBefore/>");
        }
        if ppr.bullet {
            s.push_str("<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr>");
        }
        if ppr.tiny {
            s.push_str("<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>");
        } else if let Some(before) = ppr.spacing_before {
            let _ = write!(s, "<w:spacing w:before=\"{before}\"/>");
        }
        if ppr.tiny {
            s.push_str("<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr>");
        }
        s.push_str("</w:pPr>");
    }

    fn paragraph(&mut self, ppr: Ppr<'_>, spans: &[Span]) {
        self.out.push_str("<w:p>");
        self.ppr(ppr);
        for span in spans {
            run(&mut self.out, &span.text, Rpr { bold: span.bold, italic: span.italic });
        }
        self.out.push_str("</w:p>\n");
    }

    fn title_page(&mut self, lines: &[String], footer_lines: &[String]) {
        if self.started {
            self.pending_break = true;
        }
        // Heights in twips, estimated generously so the footer lines never spill onto the next
        // page: (chars per line, line height, paragraph spacing after).
        const TOP: u32 = 2268;
        const SAFETY: u32 = 1100;
        let estimate = |text: &str, chars_per_line: usize, line: u32, after: u32| -> u32 {
            let rows: usize = clean(text).split('\n').map(|l| l.chars().count().div_ceil(chars_per_line).max(1)).sum();
            u32::try_from(rows).unwrap_or(u32::MAX).saturating_mul(line).saturating_add(after)
        };
        let mut used = TOP;
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                used = used.saturating_add(estimate(line, 26, 540, 480));
                let ppr = Ppr { style: Some("Title"), spacing_before: Some(TOP), ..Ppr::default() };
                self.paragraph(ppr, &[Span::plain(line.as_str())]);
            } else {
                used = used.saturating_add(estimate(line, 48, 345, 160));
                self.paragraph(Ppr { style: Some("Subtitle"), ..Ppr::default() }, &[Span::plain(line.as_str())]);
            }
        }
        let footer_height = footer_lines.iter().fold(0u32, |sum, line| sum.saturating_add(estimate(line, 70, 270, 60)));
        let gap = TEXT_HEIGHT.saturating_sub(used.saturating_add(footer_height).saturating_add(SAFETY)).max(240);
        for (i, line) in footer_lines.iter().enumerate() {
            let spacing_before = if i == 0 { Some(gap) } else { None };
            let ppr = Ppr { style: Some("TitlePageFooter"), spacing_before, ..Ppr::default() };
            self.paragraph(ppr, &[Span::plain(line.as_str())]);
        }
        if lines.is_empty() && footer_lines.is_empty() {
            return;
        }
        self.started = true;
        self.pending_break = true;
    }

    /// Writes a table: its caption, a tiny paragraph carrying a due page break, the header row
    /// and the body rows, then a small spacer paragraph.
    fn table(&mut self, table: &Table) {
        if let Some(caption) = &table.caption {
            self.paragraph(Ppr { style: Some("Caption"), ..Ppr::default() }, &[Span::plain(caption.as_str())]);
        }
        if table.columns.is_empty() {
            return;
        }
        if self.pending_break {
            // A table cannot carry "page break before"; a tiny empty paragraph does.
            self.paragraph(Ppr { tiny: true, ..Ppr::default() }, &[]);
        }
        self.started = true;
        let widths = grid_widths(&table.columns, TEXT_WIDTH);
        let s = &mut self.out;
        table_start(s, &widths);
        header_row(s, &table.columns, &widths);
        for row in &table.rows {
            s.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            if row.kind == RowKind::Section {
                section_cell(s, row.cells.first().map(String::as_str).unwrap_or(""), &widths);
            } else {
                body_cells(s, row, &table.columns, &widths);
            }
            s.push_str("</w:tr>\n");
        }
        s.push_str("</w:tbl>\n");
        // Keeps consecutive tables apart and gives the document a final paragraph.
        s.push_str(
            "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/>\
             <w:rPr><w:sz w:val=\"12\"/><w:szCs w:val=\"12\"/></w:rPr></w:pPr></w:p>\n",
        );
    }
}

/// Opens `w:tbl` with its properties (full text width, fixed layout, the grid's borders and cell
/// margins) and its column grid of `widths`.
fn table_start(s: &mut String, widths: &[u32]) {
    let _ = write!(
        s,
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"GpwrTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>{}<w:tblLayout w:type=\"fixed\"/>{}\
         <w:tblLook w:val=\"0620\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        table_borders(),
        table_cell_margins()
    );
    for width in widths {
        let _ = write!(s, "<w:gridCol w:w=\"{width}\"/>");
    }
    s.push_str("</w:tblGrid>\n");
}

/// The header row: repeats on every page, dark blue with white bold text.
fn header_row(s: &mut String, columns: &[Column], widths: &[u32]) {
    s.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (column, width) in columns.iter().zip(widths) {
        let cell = Cell { width: *width, span: 1, fill: Some(DARK_BLUE), top_rule: false, v_align: "bottom" };
        cell.open(s);
        let _ =
            write!(s, "<w:p><w:pPr><w:pStyle w:val=\"TableHeading\"/><w:jc w:val=\"{}\"/></w:pPr>", jc(column.align));
        run(s, &column.header, Rpr::default());
        s.push_str("</w:p></w:tc>");
    }
    s.push_str("</w:tr>\n");
}

/// A section row's one cell across all columns: `text` bold on light blue, kept with the next row.
fn section_cell(s: &mut String, text: &str, widths: &[u32]) {
    let total: u32 = widths.iter().sum();
    let cell = Cell { width: total, span: widths.len(), fill: Some(SECTION_FILL), top_rule: false, v_align: "center" };
    cell.open(s);
    s.push_str("<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:keepNext/><w:jc w:val=\"left\"/></w:pPr>");
    run(s, text, Rpr { bold: true, italic: false });
    s.push_str("</w:p></w:tc>");
}

/// The cells of a normal, subtotal or total row, one per column (missing cells stay empty).
fn body_cells(s: &mut String, row: &Row, columns: &[Column], widths: &[u32]) {
    let (fill, bold, top_rule) = match row.kind {
        RowKind::Subtotal => (Some(SUBTOTAL_FILL), true, false),
        RowKind::Total => (Some(TOTAL_FILL), true, true),
        _ => (None, false, false),
    };
    for (i, (column, width)) in columns.iter().zip(widths).enumerate() {
        let cell = Cell { width: *width, span: 1, fill, top_rule, v_align: "center" };
        cell.open(s);
        let _ = write!(s, "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:jc w:val=\"{}\"/></w:pPr>", jc(column.align));
        if let Some(text) = row.cells.get(i) {
            run(s, text, Rpr { bold, italic: false });
        }
        s.push_str("</w:p></w:tc>");
    }
}

/// Table cell properties.
struct Cell {
    width: u32,
    span: usize,
    fill: Option<&'static str>,
    top_rule: bool,
    v_align: &'static str,
}

impl Cell {
    /// Writes `<w:tc><w:tcPr>…</w:tcPr>`.
    fn open(&self, s: &mut String) {
        let _ = write!(s, "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>", self.width);
        if self.span > 1 {
            let _ = write!(s, "<w:gridSpan w:val=\"{}\"/>", self.span);
        }
        if self.top_rule {
            let _ = write!(
                s,
                "<w:tcBorders><w:top w:val=\"single\" w:sz=\"12\" w:space=\"0\" w:color=\"{DARK_BLUE}\"/></w:tcBorders>"
            );
        }
        if let Some(fill) = self.fill {
            let _ = write!(s, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{fill}\"/>");
        }
        let _ = write!(s, "<w:vAlign w:val=\"{}\"/></w:tcPr>", self.v_align);
    }
}

fn jc(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Right => "right",
        Align::Center => "center",
    }
}

/// Column widths in twips from relative weights, summing exactly to `total`.
fn grid_widths(columns: &[Column], total: u32) -> Vec<u32> {
    let weights: Vec<f64> =
        columns.iter().map(|c| if c.width.is_finite() && c.width > 0.0 { c.width } else { 1.0 }).collect();
    let sum: f64 = weights.iter().sum();
    let mut widths: Vec<u32> = weights.iter().map(|w| (f64::from(total) * w / sum).floor() as u32).collect();
    let assigned: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total.saturating_sub(assigned);
    }
    widths
}

/// Writes one run: `\n` becomes `<w:br/>`, `\t` becomes `<w:tab/>`. Empty text writes nothing.
fn run(s: &mut String, text: &str, rpr: Rpr) {
    let text = clean(text);
    if text.is_empty() {
        return;
    }
    s.push_str("<w:r>");
    if rpr.bold || rpr.italic {
        s.push_str("<w:rPr>");
        if rpr.bold {
            s.push_str("<w:b/><w:bCs/>");
        }
        if rpr.italic {
            s.push_str("<w:i/><w:iCs/>");
        }
        s.push_str("</w:rPr>");
    }
    let mut piece = String::new();
    let flush = |s: &mut String, piece: &mut String| {
        if !piece.is_empty() {
            s.push_str("<w:t xml:space=\"preserve\">");
            push_escaped(s, piece);
            s.push_str("</w:t>");
            piece.clear();
        }
    };
    for c in text.chars() {
        match c {
            '\n' => {
                flush(s, &mut piece);
                s.push_str("<w:br/>");
            }
            '\t' => {
                flush(s, &mut piece);
                s.push_str("<w:tab/>");
            }
            c => piece.push(c),
        }
    }
    flush(s, &mut piece);
    s.push_str("</w:r>");
}

// ---------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------

/// Renders `doc` as Markdown (CommonMark with GitHub pipe tables).
///
/// Mapping: the title page's first line is `# …` and its other lines (and footer lines) follow
/// as separate plain paragraphs; `Heading` level n (1..=3) is n+1 `#`s (`##`..`####`) in a
/// document with a title page, n `#`s without one; bold is `**…**`, italic `*…*`; a note is `> _…_`; bullets are `- …`;
/// a table is its caption as an italic line, then a pipe table (`---:` for right-aligned, `:---:`
/// for centred columns), section rows with the text bold in the first cell, subtotal and total
/// rows bold in every non-empty cell; page breaks produce nothing. Line breaks inside text become
/// hard breaks (`\` at the end of the line), `<br>` in table cells; tabs become spaces. Markdown
/// punctuation in the text is backslash-escaped. Blocks are separated by one blank line and the
/// output ends with a newline (an empty document gives an empty string).
#[must_use]
pub fn to_markdown(doc: &Document) -> String {
    // Below a title page (whose first line is `#`) headings move one level down.
    let shift = u8::from(doc.blocks.iter().any(|b| matches!(b, Block::TitlePage { .. })));
    let mut blocks: Vec<String> = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::TitlePage { lines, footer_lines } => {
                for (i, line) in lines.iter().chain(footer_lines).enumerate() {
                    if i == 0 {
                        blocks.push(md_heading(1, line));
                    } else {
                        blocks.push(md_spans(&[Span::plain(line.as_str())], "", false));
                    }
                }
            }
            Block::Heading { level, text } => blocks.push(md_heading((*level).clamp(1, 3) + shift, text)),
            Block::Paragraph(spans) => blocks.push(md_spans(spans, "", false)),
            Block::Note(text) => {
                let body = md_spans(&[Span::italic(text.as_str())], "> ", true);
                blocks.push(if body.is_empty() { String::new() } else { format!("> {body}") });
            }
            Block::Bullets(items) => {
                let list: Vec<String> = items.iter().map(|item| format!("- {}", md_spans(item, "  ", false))).collect();
                blocks.push(list.join("\n"));
            }
            Block::Table(table) => blocks.push(md_table(table)),
            Block::PageBreak => {}
        }
    }
    let blocks: Vec<String> = blocks.into_iter().filter(|b| !b.trim().is_empty()).collect();
    if blocks.is_empty() {
        return String::new();
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// Backslash-escapes Markdown punctuation in clean text (no newlines).
fn md_escape_inline(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~') {
            out.push('\\');
        }
        out.push(if c == '\t' { ' ' } else { c });
    }
}

/// Escapes what would start a block construct at the beginning of a line (`#`, `-`, `+`, `=`,
/// `1.`, `1)`), after dropping leading blanks.
fn md_escape_line_start(out: &mut String, text: &str) {
    let text = text.trim_start();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let mut escaped = String::new();
    md_escape_inline(&mut escaped, text);
    if let Some(first) = text.chars().next()
        && matches!(first, '#' | '-' | '+' | '=')
    {
        out.push('\\');
    } else if digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')')) {
        // `escaped` starts with the same digits (digits are never escaped).
        out.push_str(&escaped[..digits]);
        out.push('\\');
        out.push_str(&escaped[digits..]);
        return;
    }
    out.push_str(&escaped);
}

/// A heading line: `#`×level, then the text on one line.
fn md_heading(level: u8, text: &str) -> String {
    let text = clean(text).replace(['\n', '\t'], " ");
    let mut body = String::new();
    md_escape_inline(&mut body, text.trim());
    if body.ends_with('#') {
        body.insert(body.len() - 1, '\\');
    }
    format!("{} {body}", "#".repeat(usize::from(level)))
}

/// Inline Markdown for spans. `continuation` prefixes lines after a hard break (list indent or
/// blockquote marker). `note` uses `_` for italic (the note style), otherwise `*`.
fn md_spans(spans: &[Span], continuation: &str, note: bool) -> String {
    // Merge neighbours with the same formatting so markers do not collide (`**a****b**`).
    let mut merged: Vec<(String, bool, bool)> = Vec::new();
    for span in spans {
        let text = clean(&span.text);
        match merged.last_mut() {
            Some(last) if last.1 == span.bold && last.2 == span.italic => last.0.push_str(&text),
            _ => merged.push((text, span.bold, span.italic)),
        }
    }
    let mut out = String::new();
    let mut at_line_start = true;
    // Hard breaks are written only when content follows them, so none dangles at the end.
    let mut pending_breaks = 0usize;
    for (text, bold, italic) in &merged {
        let marker = match (bold, italic) {
            (true, true) if note => "**_",
            (true, true) => "***",
            (true, false) => "**",
            (false, true) if note => "_",
            (false, true) => "*",
            (false, false) => "",
        };
        let closing: String = marker.chars().rev().collect();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 && !out.is_empty() {
                pending_breaks += 1;
                at_line_start = true;
            }
            let segment = if at_line_start { line.trim_start() } else { line };
            let core = segment.trim();
            if core.is_empty() {
                if !segment.is_empty() {
                    out.push(' ');
                }
                continue;
            }
            if pending_breaks > 0 {
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
                for _ in 0..pending_breaks {
                    out.push_str("\\\n");
                    out.push_str(continuation);
                }
                pending_breaks = 0;
            }
            let leading = &segment[..segment.len() - segment.trim_start().len()];
            let trailing = &segment[segment.trim_end().len()..];
            out.push_str(&leading.replace('\t', " "));
            out.push_str(marker);
            if at_line_start && marker.is_empty() {
                md_escape_line_start(&mut out, core);
            } else {
                md_escape_inline(&mut out, core);
            }
            out.push_str(&closing);
            out.push_str(&trailing.replace('\t', " "));
            at_line_start = false;
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}

/// One table cell: escaped, newlines as `<br>`, optionally bold.
fn md_cell(text: &str, bold: bool) -> String {
    let text = clean(text);
    let mut out = String::new();
    for (i, line) in text.trim().split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        md_escape_inline(&mut out, line.trim());
    }
    if bold && !out.is_empty() { format!("**{out}**") } else { out }
}

fn md_table(table: &Table) -> String {
    let mut out = String::new();
    if let Some(caption) = &table.caption {
        let caption = md_spans(&[Span::italic(caption.as_str())], "", false);
        if !caption.is_empty() {
            out.push_str(&caption);
            out.push_str("\n\n");
        }
    }
    if table.columns.is_empty() {
        return out.trim_end().to_string();
    }
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    out.push_str(&line(table.columns.iter().map(|c| md_cell(&c.header, false)).collect()));
    out.push('\n');
    out.push_str(&line(
        table
            .columns
            .iter()
            .map(|c| match c.align {
                Align::Left => "---".to_string(),
                Align::Right => "---:".to_string(),
                Align::Center => ":---:".to_string(),
            })
            .collect(),
    ));
    for row in &table.rows {
        let cells: Vec<String> = match row.kind {
            RowKind::Section => (0..table.columns.len())
                .map(|i| {
                    if i == 0 {
                        md_cell(row.cells.first().map(String::as_str).unwrap_or(""), true)
                    } else {
                        String::new()
                    }
                })
                .collect(),
            kind => {
                let bold = matches!(kind, RowKind::Subtotal | RowKind::Total);
                (0..table.columns.len())
                    .map(|i| md_cell(row.cells.get(i).map(String::as_str).unwrap_or(""), bold))
                    .collect()
            }
        };
        out.push('\n');
        out.push_str(&line(cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn sample() -> Document {
        Document {
            properties: Properties::new("Raport", "MOPS", "2026-03-01T00:00:00Z"),
            blocks: vec![
                Block::TitlePage {
                    lines: vec!["Raport".into(), "Gmina X".into()],
                    footer_lines: vec!["Marzec 2026".into()],
                },
                Block::heading(1, "Wstęp"),
                Block::paragraph([
                    Span::plain("Tekst "),
                    Span::bold("ważny"),
                    Span::plain(" i "),
                    Span::italic("pochylony"),
                    Span::plain("."),
                ]),
                Block::note("Brak danych."),
                Block::Bullets(vec![vec![Span::plain("pierwszy")], vec![Span::bold("drugi")]]),
                Block::PageBreak,
                Block::Table(
                    Table::new(
                        vec![Column::left("Zadanie", 3.0), Column::right("Kwota", 1.0)],
                        vec![
                            Row::section("Obszar A"),
                            Row::normal(["Asystent | rodzina", "12 500,00"]),
                            Row::subtotal(["Razem A", "12 500,00"]),
                            Row::total(["Ogółem", "12 500,00"]),
                        ],
                    )
                    .with_caption("Tabela 1. Koszty"),
                ),
            ],
        }
    }

    fn read_parts(bytes: &[u8]) -> Vec<(String, String)> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut text = String::new();
                file.read_to_string(&mut text).unwrap();
                (file.name().unwrap().to_string(), text)
            })
            .collect()
    }

    fn part(bytes: &[u8], name: &str) -> String {
        read_parts(bytes).into_iter().find(|(n, _)| n == name).map(|(_, t)| t).unwrap()
    }

    #[test]
    fn zip_has_exactly_the_expected_parts_in_order() {
        let bytes = to_docx(&sample()).unwrap();
        let names: Vec<String> = read_parts(&bytes).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/core.xml",
                "docProps/app.xml",
                "word/document.xml",
                "word/styles.xml",
                "word/numbering.xml",
                "word/settings.xml",
                "word/_rels/document.xml.rels",
                "word/footer1.xml",
                "word/footer2.xml",
            ]
        );
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        for i in 0..archive.len() {
            let file = archive.by_index(i).unwrap();
            let name = file.name().unwrap().to_string();
            assert_eq!(file.compression(), zip::CompressionMethod::Deflated, "{name}");
            assert_eq!(file.last_modified(), Some(zip::DateTime::DEFAULT), "{name}");
            assert!(file.extra_data().as_deref().is_none_or(<[u8]>::is_empty), "{name}");
        }
    }

    #[test]
    fn output_is_byte_identical_for_the_same_document() {
        let doc = sample();
        let first = to_docx(&doc).unwrap();
        let second = to_docx(&doc.clone()).unwrap();
        assert_eq!(first, second);
        assert_eq!(to_markdown(&doc), to_markdown(&doc.clone()));
    }

    #[test]
    fn text_is_escaped_and_control_characters_removed() {
        let doc = Document {
            properties: Properties::new("T & <x>", "A\u{1}", "2026-03-01T00:00:00Z"),
            blocks: vec![
                Block::text("Tom & \"Jerry\" <b> it's"),
                Block::text("a\u{1}b\u{b}c\u{7f}d\u{fffe}e"),
                Block::text("line1\nline2\tcol\r\nline3"),
            ],
        };
        let bytes = to_docx(&doc).unwrap();
        let document = part(&bytes, "word/document.xml");
        assert!(document.contains("Tom &amp; &quot;Jerry&quot; &lt;b&gt; it&apos;s"), "{document}");
        assert!(!document.contains("<b>"));
        assert!(document.contains("<w:t xml:space=\"preserve\">abcde</w:t>"), "{document}");
        assert!(document.contains(
            "<w:t xml:space=\"preserve\">line1</w:t><w:br/><w:t xml:space=\"preserve\">line2</w:t><w:tab/>\
             <w:t xml:space=\"preserve\">col</w:t><w:br/><w:t xml:space=\"preserve\">line3</w:t>"
        ));
        for (name, text) in read_parts(&bytes) {
            assert!(
                !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
                "control character in {name}"
            );
        }
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:title>T &amp; &lt;x&gt;</dc:title>"));
        assert!(core.contains("<dc:creator>A</dc:creator>"));
        assert!(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-03-01T00:00:00Z</dcterms:created>"));
        let markdown = to_markdown(&doc);
        assert!(!markdown.chars().any(|c| c.is_control() && c != '\n'), "{markdown:?}");
        assert!(markdown.contains("Tom & \"Jerry\" \\<b\\> it's"), "{markdown}");
        assert!(markdown.contains("abcde"));
        assert!(markdown.contains("line1\\\nline2 col\\\nline3"), "{markdown}");
    }

    #[test]
    fn document_structure() {
        let bytes = to_docx(&sample()).unwrap();
        let document = part(&bytes, "word/document.xml");
        // Title page: no footer on it, and the next block starts a new page.
        assert!(document.contains("<w:titlePg/>"));
        assert!(document.contains("<w:footerReference w:type=\"first\" r:id=\"rId5\"/>"));
        assert!(document.contains("<w:pStyle w:val=\"Heading1\"/><w:pageBreakBefore/>"));
        // Table: header repeats, rows do not split, section spans both columns, widths 3:1.
        assert!(document.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
        assert!(document.contains("<w:gridSpan w:val=\"2\"/>"));
        assert!(document.contains("<w:gridCol w:w=\"6802\"/><w:gridCol w:w=\"2268\"/>"));
        assert!(document.contains("<w:jc w:val=\"right\"/></w:pPr><w:r><w:t xml:space=\"preserve\">12 500,00</w:t>"));
        // The page break before the table lands on its caption.
        assert!(document.contains("<w:pStyle w:val=\"Caption\"/><w:pageBreakBefore/>"));
        assert!(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        let styles = part(&bytes, "word/styles.xml");
        assert!(styles.contains("<w:lang w:val=\"pl-PL\""));
        for level in 0..3 {
            assert!(styles.contains(&format!("<w:outlineLvl w:val=\"{level}\"/>")));
        }
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES ") && footer.contains("Strona "));
        // Without a title page the first page has the footer too.
        let plain = Document { properties: Properties::default(), blocks: vec![Block::text("x")] };
        let document = part(&to_docx(&plain).unwrap(), "word/document.xml");
        assert!(!document.contains("titlePg") && !document.contains("w:type=\"first\""));
    }

    #[test]
    fn markdown_of_a_small_document() {
        let expected = "\
# Raport

Gmina X

Marzec 2026

## Wstęp

Tekst **ważny** i *pochylony*.

> _Brak danych._

- pierwszy
- **drugi**

*Tabela 1. Koszty*

| Zadanie | Kwota |
| --- | ---: |
| **Obszar A** |  |
| Asystent \\| rodzina | 12 500,00 |
| **Razem A** | **12 500,00** |
| **Ogółem** | **12 500,00** |
";
        assert_eq!(to_markdown(&sample()), expected);
    }

    #[test]
    fn markdown_table_cells_are_escaped() {
        let table = Table::new(
            vec![Column::left("A|B", 1.0), Column::center("C", 1.0)],
            vec![Row::normal(["x | y", "two\nlines"]), Row::normal(["-5,00"])],
        );
        let markdown = to_markdown(&Document { properties: Properties::default(), blocks: vec![Block::Table(table)] });
        assert_eq!(markdown, "| A\\|B | C |\n| --- | :---: |\n| x \\| y | two<br>lines |\n| -5,00 |  |\n");
    }

    #[test]
    fn markdown_escapes_block_starts_and_keeps_emphasis_tight() {
        let doc = Document {
            properties: Properties::default(),
            blocks: vec![
                Block::text("# nie nagłówek"),
                Block::text("2025. rok\n- nie lista"),
                Block::paragraph([Span::bold("Uwaga: "), Span::plain("tekst"), Span::bold(" a"), Span::bold("b")]),
                Block::heading(7, "Poziom"),
                Block::Bullets(vec![vec![Span::plain("jeden\ndwa")]]),
                Block::note("Linia 1\nLinia 2"),
                Block::PageBreak,
            ],
        };
        assert_eq!(
            to_markdown(&doc),
            "\\# nie nagłówek\n\n2025\\. rok\\\n\\- nie lista\n\n**Uwaga:** tekst **ab**\n\n### Poziom\n\n\
             - jeden\\\n  dwa\n\n> _Linia 1_\\\n> _Linia 2_\n"
        );
    }

    #[test]
    fn markdown_line_breaks_never_dangle() {
        let doc = Document {
            properties: Properties::default(),
            blocks: vec![
                Block::text("\nna początku"),
                Block::text("a\n\nb\n"),
                Block::paragraph([Span::plain("x"), Span::bold("\n"), Span::plain("koniec\\")]),
            ],
        };
        assert_eq!(to_markdown(&doc), "na początku\n\na\\\n\\\nb\n\nx\\\nkoniec\\\\\n");
    }

    #[test]
    fn odd_inputs_do_not_break_the_document() {
        let long = "zażółć gęślą jaźń ".repeat(20_000);
        let doc = Document {
            properties: Properties { language: String::new(), ..Properties::default() },
            blocks: vec![
                Block::PageBreak,
                Block::text(long.as_str()),
                Block::TitlePage { lines: vec![long.clone(), long.clone()], footer_lines: vec![long.clone()] },
                Block::Table(Table::new(vec![], vec![Row::normal(["x"])])),
                Block::Table(Table::new(vec![Column::right("a", f64::NAN), Column::left("b", -1.0)], vec![])),
                Block::Table(Table::new(
                    vec![Column::left("a", 1.0)],
                    vec![Row::normal(["1", "2", "3"]), Row::section("")],
                )),
                Block::PageBreak,
                Block::PageBreak,
                Block::Bullets(vec![]),
                Block::Paragraph(vec![]),
                Block::PageBreak,
            ],
        };
        let bytes = to_docx(&doc).unwrap();
        let document = part(&bytes, "word/document.xml");
        assert!(document.contains(&long.trim_end()[..100]));
        assert!(document.contains("<w:gridCol w:w=\"4535\"/><w:gridCol w:w=\"4535\"/>"));
        assert!(part(&bytes, "word/styles.xml").contains("<w:lang w:val=\"pl-PL\""));
        assert!(to_markdown(&doc).contains("| a | b |\n| ---: | --- |"));
        assert_eq!(to_markdown(&Document::default()), "");
    }
}
