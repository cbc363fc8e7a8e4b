//! Reading the CSV files of API.md: a header naming the columns (any order), then rows. Problems
//! are reported at `line[N]` / `line[N].column`, so an operator can find the row in the file.

use crate::error::{AppError, AppResult};
use orderly_shared::FieldProblem;

/// One data row: its line number in the file and its cells in the requested column order.
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell of the `i`th requested column.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }

    /// Re-homes a row-level problem (path = column name) at `line[N].column`.
    pub fn locate(&self, problem: FieldProblem) -> FieldProblem {
        FieldProblem {
            path: format!("line[{}].{}", self.line, problem.path),
            ..problem
        }
    }
}

/// Reads every row, refusing a header without one of `columns`; unreadable rows are collected
/// into `problems` rather than stopping the read.
pub fn read(text: &str, columns: &[&str], problems: &mut Vec<FieldProblem>) -> AppResult<Vec<Row>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| AppError::invalid("line[1]", "INVALID_CSV", e.to_string()))?
        .clone();
    let index: Vec<Option<usize>> = columns
        .iter()
        .map(|c| headers.iter().position(|h| h == *c))
        .collect();
    let missing: Vec<&str> = columns
        .iter()
        .zip(&index)
        .filter(|(_, i)| i.is_none())
        .map(|(c, _)| *c)
        .collect();
    if !missing.is_empty() {
        return Err(AppError::invalid(
            "line[1]",
            "MISSING_COLUMNS",
            format!("the header lacks {}", missing.join(", ")),
        ));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push(Row {
                line: record.position().map_or(0, |p| p.line()),
                cells: index
                    .iter()
                    .map(|i| i.and_then(|j| record.get(j)).unwrap_or("").to_string())
                    .collect(),
            }),
            Err(e) => problems.push(FieldProblem::new(
                format!("line[{}]", e.position().map_or(0, |p| p.line())),
                "INVALID_CSV",
                e.to_string(),
            )),
        }
    }
    Ok(rows)
}
