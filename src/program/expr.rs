//! The cross-check language of the programme definition: `left operator right`, where each
//! side is arithmetic over indicator ids, e.g. `C1.asystent.dzieci >= C1.asystent.rodziny`.
//!
//! Parsed here when the definition is read (so a typo is reported with its cell before any
//! template goes out); evaluated by the report step against indicator values.

use std::fmt;

/// An arithmetic expression over indicator values.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A literal number.
    Number(f64),
    /// The value of the indicator with this id.
    Indicator(String),
    /// Unary minus.
    Neg(Box<Expr>),
    /// A binary arithmetic operation.
    Binary(Box<Expr>, ArithOp, Box<Expr>),
}

/// The four arithmetic operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A comparison between the two sides of a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `=` or `==`
    Eq,
    /// `<>` or `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A parsed `left operator right` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Left-hand side.
    pub left: Expr,
    /// The comparison.
    pub op: CompareOp,
    /// Right-hand side.
    pub right: Expr,
}

/// Why a condition did not parse; `position` is a character offset into the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    /// The condition text is empty.
    #[error("warunek jest pusty")]
    Empty,
    /// A character that has no meaning in the language.
    #[error("niedozwolony znak „{found}” na pozycji {position}")]
    UnexpectedChar {
        /// The offending character.
        found: char,
        /// 1-based character position.
        position: usize,
    },
    /// A token where another was expected.
    #[error("na pozycji {position} oczekiwano {expected}, a jest „{found}”")]
    UnexpectedToken {
        /// What the parser expected, in Polish.
        expected: &'static str,
        /// The token found.
        found: String,
        /// 1-based character position.
        position: usize,
    },
    /// The text ended too early.
    #[error("warunek urywa się: oczekiwano {expected}")]
    UnexpectedEnd {
        /// What the parser expected, in Polish.
        expected: &'static str,
    },
    /// No comparison operator at the top level.
    #[error("brak porównania (=, <>, <, <=, >, >=) między lewą a prawą stroną")]
    MissingComparison,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Ident(String),
    Arith(ArithOp),
    Compare(CompareOp),
    Open,
    Close,
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Number(n) => write!(f, "{n}"),
            Token::Ident(s) => write!(f, "{s}"),
            Token::Arith(op) => write!(f, "{op}"),
            Token::Compare(op) => write!(f, "{op}"),
            Token::Open => write!(f, "("),
            Token::Close => write!(f, ")"),
        }
    }
}

/// True for a valid indicator id: a letter, then letters, digits, `.` and `_`.
pub fn is_indicator_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        && !text.ends_with('.')
}

fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let position = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let compare2 = match two.as_str() {
            ">=" => Some(CompareOp::Ge),
            "<=" => Some(CompareOp::Le),
            "<>" | "!=" => Some(CompareOp::Ne),
            "==" => Some(CompareOp::Eq),
            _ => None,
        };
        if let Some(op) = compare2 {
            tokens.push((Token::Compare(op), position));
            i += 2;
            continue;
        }
        let token = match c {
            '+' => Token::Arith(ArithOp::Add),
            '-' | '−' => Token::Arith(ArithOp::Sub),
            '*' | '×' => Token::Arith(ArithOp::Mul),
            '/' | ':' => Token::Arith(ArithOp::Div),
            '(' => Token::Open,
            ')' => Token::Close,
            '=' => Token::Compare(CompareOp::Eq),
            '<' => Token::Compare(CompareOp::Lt),
            '>' => Token::Compare(CompareOp::Gt),
            '≥' => Token::Compare(CompareOp::Ge),
            '≤' => Token::Compare(CompareOp::Le),
            '≠' => Token::Compare(CompareOp::Ne),
            c if c.is_ascii_digit() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
                    i += 1;
                }
                let literal: String = chars[start..i].iter().map(|&c| if c == ',' { '.' } else { c }).collect();
                let value = literal.parse::<f64>().map_err(|_| ExprError::UnexpectedToken {
                    expected: "liczby",
                    found: chars[start..i].iter().collect(),
                    position,
                })?;
                tokens.push((Token::Number(value), position));
                continue;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || chars[i] == '_') {
                    i += 1;
                }
                let ident: String = chars[start..i].iter().collect();
                tokens.push((Token::Ident(ident.trim_end_matches('.').to_string()), position));
                continue;
            }
            other => return Err(ExprError::UnexpectedChar { found: other, position }),
        };
        tokens.push((token, position));
        i += 1;
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(t, _)| t)
    }

    fn unexpected(&self, expected: &'static str) -> ExprError {
        match self.tokens.get(self.next) {
            Some((token, position)) => {
                ExprError::UnexpectedToken { expected, found: token.to_string(), position: *position }
            }
            None => ExprError::UnexpectedEnd { expected },
        }
    }

    // sum := product (('+' | '-') product)*
    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.product()?;
        while let Some(Token::Arith(op @ (ArithOp::Add | ArithOp::Sub))) = self.peek().cloned() {
            self.next += 1;
            let right = self.product()?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    // product := unary (('*' | '/') unary)*
    fn product(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        while let Some(Token::Arith(op @ (ArithOp::Mul | ArithOp::Div))) = self.peek().cloned() {
            self.next += 1;
            let right = self.unary()?;
            left = Expr::Binary(Box::new(left), op, Box::new(right));
        }
        Ok(left)
    }

    // unary := '-' unary | atom
    fn unary(&mut self) -> Result<Expr, ExprError> {
        if let Some(Token::Arith(ArithOp::Sub)) = self.peek() {
            self.next += 1;
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        self.atom()
    }

    // atom := number | indicator | '(' sum ')'
    fn atom(&mut self) -> Result<Expr, ExprError> {
        match self.peek().cloned() {
            Some(Token::Number(n)) => {
                self.next += 1;
                Ok(Expr::Number(n))
            }
            Some(Token::Ident(id)) => {
                self.next += 1;
                Ok(Expr::Indicator(id))
            }
            Some(Token::Open) => {
                self.next += 1;
                let inner = self.sum()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(self.unexpected("nawiasu zamykającego „)”"));
                }
                self.next += 1;
                Ok(inner)
            }
            _ => Err(self.unexpected("identyfikatora wskaźnika, liczby lub „(”")),
        }
    }
}

impl Condition {
    /// Parses `left operator right`.
    pub fn parse(text: &str) -> Result<Condition, ExprError> {
        let tokens = tokenize(text)?;
        if tokens.is_empty() {
            return Err(ExprError::Empty);
        }
        let mut parser = Parser { tokens, next: 0 };
        let left = parser.sum()?;
        let op = match parser.peek() {
            Some(Token::Compare(op)) => *op,
            None => return Err(ExprError::MissingComparison),
            Some(_) => return Err(parser.unexpected("porównania (=, <>, <, <=, >, >=) lub działania (+ - * /)")),
        };
        parser.next += 1;
        let right = parser.sum()?;
        if parser.peek().is_some() {
            return Err(parser.unexpected("końca warunku"));
        }
        Ok(Condition { left, op, right })
    }

    /// Every indicator id the condition mentions, in order of first appearance.
    pub fn indicator_ids(&self) -> Vec<&str> {
        let mut ids = Vec::new();
        self.left.collect_ids(&mut ids);
        self.right.collect_ids(&mut ids);
        ids
    }

    /// Evaluates both sides with `value_of` and compares them. `None` when a side cannot be
    /// computed (a value is missing, or a division by zero), so the check is "not decidable".
    /// Equality tolerates differences below half a grosz, since amounts have 2 decimals.
    pub fn evaluate(&self, value_of: &dyn Fn(&str) -> Option<f64>) -> Option<Evaluation> {
        let left = self.left.evaluate(value_of)?;
        let right = self.right.evaluate(value_of)?;
        let close = (left - right).abs() < 0.005;
        let holds = match self.op {
            CompareOp::Eq => close,
            CompareOp::Ne => !close,
            CompareOp::Lt => left < right && !close,
            CompareOp::Le => left < right || close,
            CompareOp::Gt => left > right && !close,
            CompareOp::Ge => left > right || close,
        };
        Some(Evaluation { left, right, holds })
    }
}

/// The outcome of evaluating a [`Condition`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Value of the left side.
    pub left: f64,
    /// Value of the right side.
    pub right: f64,
    /// Whether the comparison holds.
    pub holds: bool,
}

impl Expr {
    fn collect_ids<'a>(&'a self, ids: &mut Vec<&'a str>) {
        match self {
            Expr::Number(_) => {}
            Expr::Indicator(id) => {
                if !ids.contains(&id.as_str()) {
                    ids.push(id);
                }
            }
            Expr::Neg(inner) => inner.collect_ids(ids),
            Expr::Binary(l, _, r) => {
                l.collect_ids(ids);
                r.collect_ids(ids);
            }
        }
    }

    /// Computes the expression; `None` if a value is missing or a division by zero occurs.
    pub fn evaluate(&self, value_of: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        match self {
            Expr::Number(n) => Some(*n),
            Expr::Indicator(id) => value_of(id),
            Expr::Neg(inner) => inner.evaluate(value_of).map(|v| -v),
            Expr::Binary(l, op, r) => {
                let (l, r) = (l.evaluate(value_of)?, r.evaluate(value_of)?);
                match op {
                    ArithOp::Add => Some(l + r),
                    ArithOp::Sub => Some(l - r),
                    ArithOp::Mul => Some(l * r),
                    ArithOp::Div if r == 0.0 => None,
                    ArithOp::Div => Some(l / r),
                }
            }
        }
    }
}

impl fmt::Display for ArithOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        })
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        })
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Number(n) => write!(f, "{}", crate::cell::format_number(*n)),
            Expr::Indicator(id) => f.write_str(id),
            Expr::Neg(inner) => write!(f, "-{inner}"),
            Expr::Binary(l, op, r) => write!(f, "({l} {op} {r})"),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.left, self.op, self.right)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(id: &str) -> Option<f64> {
        match id {
            "C3.piecza.koszt_rodziny_zastepcze" => Some(300_776.55),
            "C3.piecza.koszt_placowki" => Some(113_208.45),
            "C3.piecza.koszt_ogolem" => Some(413_985.00),
            "C1.asystent.rodziny" => Some(49.0),
            "C1.asystent.liczba" => Some(3.0),
            "C1.zero" => Some(0.0),
            _ => None,
        }
    }

    #[test]
    fn mielec_foster_care_parts_equal_the_whole() {
        let c =
            Condition::parse("C3.piecza.koszt_rodziny_zastepcze + C3.piecza.koszt_placowki = C3.piecza.koszt_ogolem")
                .unwrap();
        let e = c.evaluate(&values).unwrap();
        assert!(e.holds, "{e:?}");
        assert!((e.left - 413_985.00).abs() < 1e-6);
    }

    #[test]
    fn precedence_and_parentheses() {
        let c = Condition::parse("C1.asystent.rodziny <= 15 * C1.asystent.liczba").unwrap();
        assert_eq!(c.to_string(), "C1.asystent.rodziny <= (15 * C1.asystent.liczba)");
        // Mielec: 49 families during the year with 3 assistants exceeds 15 per assistant
        // (the limit is about families at a time, so the sample checks the 31.12 stock).
        assert_eq!(c.evaluate(&values), Some(Evaluation { left: 49.0, right: 45.0, holds: false }));
        let c = Condition::parse("C1.asystent.rodziny <= 20 * C1.asystent.liczba").unwrap();
        assert!(c.evaluate(&values).unwrap().holds);
        let c = Condition::parse("(1 + 2) * 3 = 9").unwrap();
        assert!(c.evaluate(&values).unwrap().holds);
        let c = Condition::parse("1 + 2 * 3 == 7").unwrap();
        assert!(c.evaluate(&values).unwrap().holds);
        let c = Condition::parse("-2 + 3 >= 1").unwrap();
        assert!(c.evaluate(&values).unwrap().holds);
    }

    #[test]
    fn every_comparison_operator() {
        for (text, holds) in [
            ("2 = 2", true),
            ("2 == 3", false),
            ("2 <> 3", true),
            ("2 != 2", false),
            ("2 < 3", true),
            ("3 <= 3", true),
            ("3 > 3", false),
            ("3 >= 4", false),
            ("0,1 + 0,2 = 0,3", true),
        ] {
            let c = Condition::parse(text).unwrap();
            assert_eq!(c.evaluate(&values).unwrap().holds, holds, "{text}");
        }
    }

    #[test]
    fn missing_values_and_division_by_zero_are_undecidable() {
        let c = Condition::parse("C9.unknown >= 0").unwrap();
        assert_eq!(c.evaluate(&values), None);
        let c = Condition::parse("C1.asystent.rodziny / C1.zero <= 15").unwrap();
        assert_eq!(c.evaluate(&values), None);
    }

    #[test]
    fn collects_ids_once_in_order() {
        let c = Condition::parse("a.b + c_d >= a.b * 2").unwrap();
        assert_eq!(c.indicator_ids(), vec!["a.b", "c_d"]);
    }

    #[test]
    fn syntax_errors_say_where() {
        assert_eq!(Condition::parse("  "), Err(ExprError::Empty));
        assert_eq!(Condition::parse("a.b + c"), Err(ExprError::MissingComparison));
        assert_eq!(Condition::parse("a.b >= c & d"), Err(ExprError::UnexpectedChar { found: '&', position: 10 }));
        assert_eq!(
            Condition::parse("a.b >= (c + d"),
            Err(ExprError::UnexpectedEnd { expected: "nawiasu zamykającego „)”" })
        );
        assert!(matches!(Condition::parse("a.b >= c d"), Err(ExprError::UnexpectedToken { position: 10, .. })));
        assert!(matches!(Condition::parse("a >= b >= c"), Err(ExprError::UnexpectedToken { position: 8, .. })));
        assert!(matches!(Condition::parse(">= 3"), Err(ExprError::UnexpectedToken { position: 1, .. })));
    }

    #[test]
    fn indicator_id_syntax() {
        assert!(is_indicator_id("C1.asystent.rodziny_31_12"));
        assert!(!is_indicator_id("1C"));
        assert!(!is_indicator_id("C1 asystent"));
        assert!(!is_indicator_id("C1."));
        assert!(!is_indicator_id("Ćwiczenia"));
    }
}
