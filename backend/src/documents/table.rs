//! Tables that run over several A4 pages: columns with wrapped cells, a header row repeated on
//! every page, rows never split across pages, and room kept on the last page for what follows
//! the table (totals, signatures).

use std::ops::Range;

use super::canvas::{Align, Area, Canvas};
use super::text::{self, Font};

/// A4 portrait, in millimetres.
pub(crate) const A4_WIDTH: f32 = 210.0;
pub(crate) const A4_HEIGHT: f32 = 297.0;
/// The page margin of A4 documents.
pub(crate) const MARGIN: f32 = 12.0;
/// Where the footer's rule is; the table stops above it.
pub(crate) const FOOTER_TOP: f32 = A4_HEIGHT - 16.0;

const CELL_FONT: Font = Font::regular(9.0);
const HEADER_FONT: Font = Font::bold(8.5);
const LEADING: f32 = 4.0;
const PAD_X: f32 = 1.2;
const PAD_Y: f32 = 1.6;
const HEADER_HEIGHT: f32 = 6.5;

/// One column: its heading, width in millimetres and alignment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub title: &'static str,
    pub width: f32,
    pub align: Align,
}

/// What goes in a cell: text wrapped to at most `max_lines`, in a font; each `\n` starts a
/// new line.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    pub text: String,
    pub font: Font,
    pub max_lines: usize,
}

impl Cell {
    /// One line of plain text, cut to the column.
    pub fn line(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            font: CELL_FONT,
            max_lines: 1,
        }
    }

    /// Plain text wrapped over up to `max_lines` lines.
    pub fn lines(text: impl Into<String>, max_lines: usize) -> Cell {
        Cell {
            max_lines,
            ..Cell::line(text)
        }
    }

    /// This cell in bold.
    pub fn bold(self) -> Cell {
        Cell {
            font: Font::bold(CELL_FONT.size_pt),
            ..self
        }
    }
}

/// A row laid out for its columns: each cell's lines, and the row's height.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    cells: Vec<(Vec<String>, Font)>,
    height: f32,
}

impl Row {
    /// The row's height in millimetres.
    pub fn height(&self) -> f32 {
        self.height
    }
}

/// A table's columns, left to right from the page margin.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    columns: Vec<Column>,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table { columns }
    }

    /// Wraps each cell (cells past the last column are ignored) and measures the row.
    pub fn layout(&self, cells: Vec<Cell>) -> Row {
        let cells: Vec<(Vec<String>, Font)> = self
            .columns
            .iter()
            .zip(cells)
            .map(|(column, cell)| {
                let lines = text::wrap_paragraphs(
                    cell.font,
                    cell.text.split('\n'),
                    column.width - 2.0 * PAD_X,
                    cell.max_lines,
                );
                (lines, cell.font)
            })
            .collect();
        let lines = cells.iter().map(|(l, _)| l.len()).max().unwrap_or(1).max(1);
        Row {
            cells,
            height: lines as f32 * LEADING + 2.0 * PAD_Y,
        }
    }

    /// The heading row at `top`; returns the top of the first body row.
    pub fn draw_header(&self, canvas: &mut Canvas, top: f32) -> f32 {
        let mut x = MARGIN;
        for column in &self.columns {
            canvas.text(
                x + PAD_X,
                top + HEADER_HEIGHT - 2.0,
                column.width - 2.0 * PAD_X,
                HEADER_FONT,
                column.align,
                column.title,
            );
            x += column.width;
        }
        let bottom = top + HEADER_HEIGHT;
        canvas.rule(MARGIN, x, bottom, 0.4);
        bottom
    }

    /// `row` at `top`, with a hairline under it; returns the top of the next row.
    pub fn draw_row(&self, canvas: &mut Canvas, top: f32, row: &Row) -> f32 {
        let mut x = MARGIN;
        for (column, (lines, font)) in self.columns.iter().zip(&row.cells) {
            for (i, line) in lines.iter().enumerate() {
                canvas.text(
                    x + PAD_X,
                    top + PAD_Y + LEADING * (i as f32 + 1.0) - 1.0,
                    column.width - 2.0 * PAD_X,
                    *font,
                    column.align,
                    line,
                );
            }
            x += column.width;
        }
        let bottom = top + row.height;
        canvas.rule(MARGIN, x, bottom, 0.1);
        bottom
    }

    /// The left edge and width of column `index`.
    pub fn column_box(&self, index: usize) -> Area {
        let x = MARGIN + self.columns[..index].iter().map(|c| c.width).sum::<f32>();
        Area {
            x,
            top: 0.0,
            width: self.columns.get(index).map_or(0.0, |c| c.width),
            height: 0.0,
        }
    }

    /// The height of the heading row.
    pub fn header_height() -> f32 {
        HEADER_HEIGHT
    }
}

/// Splits rows of the given heights into pages: `first` millimetres of table on page one,
/// `next` on later pages, and `tail` kept free after the last row. Rows stay whole and in
/// order; a row taller than a page still gets a page of its own. The tail goes on a page of
/// its own (an empty range) when the last rows leave no room for it.
pub(crate) fn paginate(heights: &[f32], first: f32, next: f32, tail: f32) -> Vec<Range<usize>> {
    let mut pages = Vec::new();
    let mut start = 0;
    let mut room = first;
    let mut used = 0.0;
    for (i, height) in heights.iter().enumerate() {
        if used + height > room && i > start {
            pages.push(start..i);
            start = i;
            room = next;
            used = 0.0;
        }
        used += height;
    }
    pages.push(start..heights.len());
    if used + tail > room {
        pages.push(heights.len()..heights.len());
    }
    pages
}

/// "Page n of m" on the right of the footer and `label` on the left, under a rule.
pub(crate) fn draw_footer(canvas: &mut Canvas, label: &str, page: usize, pages: usize) {
    let width = A4_WIDTH - 2.0 * MARGIN;
    canvas.rule(MARGIN, A4_WIDTH - MARGIN, FOOTER_TOP, 0.2);
    let baseline = FOOTER_TOP + 5.0;
    canvas.text(
        MARGIN,
        baseline,
        width * 0.7,
        Font::regular(8.0),
        Align::Left,
        label,
    );
    canvas.text(
        MARGIN + width * 0.7,
        baseline,
        width * 0.3,
        Font::regular(8.0),
        Align::Right,
        &format!("Page {page} of {pages}"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn given_rows_that_fit_when_paginated_then_one_page_holds_them_and_the_tail() {
        assert_eq!(paginate(&[10.0; 5], 100.0, 200.0, 40.0), vec![0..5]);
    }

    #[test]
    fn given_no_room_for_the_tail_when_paginated_then_it_gets_a_page_of_its_own() {
        assert_eq!(paginate(&[10.0; 9], 100.0, 200.0, 40.0), vec![0..9, 9..9]);
    }

    #[test]
    fn given_many_rows_when_paginated_then_later_pages_take_more_rows() {
        assert_eq!(
            paginate(&[10.0; 35], 100.0, 200.0, 0.0),
            vec![0..10, 10..30, 30..35]
        );
    }

    #[test]
    fn given_no_rows_when_paginated_then_there_is_one_empty_page() {
        assert_eq!(paginate(&[], 100.0, 200.0, 40.0), vec![0..0]);
    }

    proptest! {
        #[test]
        fn every_row_lands_once_in_order_and_no_page_overflows(
            heights in proptest::collection::vec(5.0f32..40.0, 0..200),
            tail in 0.0f32..60.0,
        ) {
            let (first, next) = (150.0, 240.0);
            let pages = paginate(&heights, first, next, tail);
            let mut expected = 0;
            for (n, page) in pages.iter().enumerate() {
                prop_assert_eq!(page.start, expected);
                expected = page.end;
                let room = if n == 0 { first } else { next };
                let used: f32 = heights[page.clone()].iter().sum();
                prop_assert!(used <= room, "page {} holds {} of {}", n, used, room);
                if n + 1 == pages.len() {
                    prop_assert!(used + tail <= room);
                }
            }
            prop_assert_eq!(expected, heights.len());
        }
    }
}
