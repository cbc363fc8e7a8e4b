//! A page to draw on in millimetres from the top-left corner, as a layout is written, turned
//! into printpdf operations (whose origin is bottom-left, in points) only here.
//!
//! Every text call takes the width of its box and cuts what does not fit (see `text`), and the
//! box itself is clipped to the page, so no document can draw text off the paper.

use printpdf::{
    BuiltinFont, Color, Greyscale, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, PdfWarnMsg, Point, Polygon, PolygonRing, Pt, Rect, TextItem,
    WindingOrder,
};

use super::text::{self, Face, Font};

/// Where a line of text sits in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Ink colour: black on paper, or white on a black band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ink {
    Black,
    White,
}

/// A filled or outlined rectangle, in page millimetres from the top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Area {
    pub x: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

/// One page being drawn.
pub(crate) struct Canvas {
    width: f32,
    height: f32,
    ops: Vec<Op>,
}

impl Canvas {
    /// A blank page `width` × `height` millimetres.
    pub fn new(width: f32, height: f32) -> Canvas {
        Canvas {
            width,
            height,
            ops: Vec::new(),
        }
    }

    /// One line of `text` in the box from `x` to `x + box_width` at `baseline` (millimetres
    /// from the top), cut with `...` to the box and the page. Returns the drawn width.
    pub fn text(
        &mut self,
        x: f32,
        baseline: f32,
        box_width: f32,
        font: Font,
        align: Align,
        text: &str,
    ) -> f32 {
        self.text_in(x, baseline, box_width, font, align, Ink::Black, text)
    }

    /// As [`Canvas::text`], in a chosen ink.
    #[allow(clippy::too_many_arguments)]
    pub fn text_in(
        &mut self,
        x: f32,
        baseline: f32,
        box_width: f32,
        font: Font,
        align: Align,
        ink: Ink,
        text: &str,
    ) -> f32 {
        let x = x.clamp(0.0, self.width);
        let box_width = box_width.min(self.width - x).max(0.0);
        let line = text::fit(font, text, box_width);
        if line.is_empty() {
            return 0.0;
        }
        let drawn = text::width_mm(font, &line);
        let start = match align {
            Align::Left => x,
            Align::Center => x + (box_width - drawn) / 2.0,
            Align::Right => x + box_width - drawn,
        };
        let builtin = match font.face {
            Face::Regular => BuiltinFont::Helvetica,
            Face::Bold => BuiltinFont::HelveticaBold,
        };
        self.ops.extend([
            Op::SetFillColor { col: ink.color() },
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::Builtin(builtin),
                size: Pt(font.size_pt),
            },
            Op::SetTextCursor {
                pos: Point::new(Mm(start), Mm(self.height - baseline)),
            },
            Op::ShowText {
                items: vec![TextItem::Text(line)],
            },
            Op::EndTextSection,
        ]);
        drawn
    }

    /// `text` wrapped into at most `max_lines` lines of the box, the first baseline at
    /// `baseline` and the next ones `leading` millimetres apart. Returns the lines drawn.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(
        &mut self,
        x: f32,
        baseline: f32,
        box_width: f32,
        font: Font,
        leading: f32,
        max_lines: usize,
        text: &str,
    ) -> usize {
        let lines = text::wrap(font, text, box_width.min(self.width - x), max_lines);
        for (i, line) in lines.iter().enumerate() {
            self.text(
                x,
                baseline + leading * i as f32,
                box_width,
                font,
                Align::Left,
                line,
            );
        }
        lines.len()
    }

    /// Solid black rectangles, all in one path so that touching ones print as one shape
    /// without hairline seams (bars of a barcode, modules of a QR code).
    pub fn fill(&mut self, areas: &[Area]) {
        self.fill_in(areas, Ink::Black);
    }

    /// As [`Canvas::fill`], in a chosen ink.
    pub fn fill_in(&mut self, areas: &[Area], ink: Ink) {
        if areas.is_empty() {
            return;
        }
        let rings = areas
            .iter()
            .map(|a| {
                let (left, right) = (a.x, a.x + a.width);
                let (top, bottom) = (self.height - a.top, self.height - a.top - a.height);
                PolygonRing {
                    points: [(left, top), (right, top), (right, bottom), (left, bottom)]
                        .into_iter()
                        .map(|(x, y)| LinePoint {
                            p: Point::new(Mm(x), Mm(y)),
                            bezier: false,
                        })
                        .collect(),
                }
            })
            .collect();
        self.ops.extend([
            Op::SetFillColor { col: ink.color() },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings,
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
        ]);
    }

    /// The outline of `area`, `thickness` millimetres wide.
    pub fn outline(&mut self, area: Area, thickness: f32) {
        self.ops.extend([
            Op::SetOutlineColor {
                col: Ink::Black.color(),
            },
            Op::SetOutlineThickness {
                pt: Mm(thickness).into_pt(),
            },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Mm(area.x).into_pt(),
                    y: Mm(self.height - area.top - area.height).into_pt(),
                    width: Mm(area.width).into_pt(),
                    height: Mm(area.height).into_pt(),
                    mode: Some(PaintMode::Stroke),
                    winding_order: None,
                },
            },
        ]);
    }

    /// A horizontal rule from `x1` to `x2` at `y`, `thickness` millimetres thick.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, thickness: f32) {
        self.fill(&[Area {
            x: x1,
            top: y - thickness / 2.0,
            width: x2 - x1,
            height: thickness,
        }]);
    }

    fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(self.width), Mm(self.height), self.ops)
    }
}

impl Ink {
    fn color(self) -> Color {
        Color::Greyscale(Greyscale {
            percent: match self {
                Ink::Black => 0.0,
                Ink::White => 1.0,
            },
            icc_profile: None,
        })
    }
}

/// The pages as one PDF file named `title`.
pub(crate) fn render(title: &str, pages: Vec<Canvas>) -> Vec<u8> {
    save(title, pages).0
}

/// The file and what printpdf had to say while writing it (nothing, for what we draw).
fn save(title: &str, pages: Vec<Canvas>) -> (Vec<u8>, Vec<PdfWarnMsg>) {
    let pages = pages.into_iter().map(Canvas::into_page).collect();
    let mut warnings = Vec::new();
    let bytes = PdfDocument::new(title)
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut warnings);
    (bytes, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::PdfParseErrorSeverity;

    #[test]
    fn given_text_shapes_and_white_ink_when_saved_then_printpdf_reports_no_error() {
        let mut page = Canvas::new(101.6, 152.4);
        page.text(4.0, 10.0, 90.0, Font::bold(12.0), Align::Center, "Hello");
        let band = Area {
            x: 4.0,
            top: 20.0,
            width: 90.0,
            height: 10.0,
        };
        page.fill(&[band]);
        page.text_in(
            5.0,
            27.0,
            88.0,
            Font::regular(10.0),
            Align::Right,
            Ink::White,
            "COD",
        );
        page.outline(band, 0.4);
        page.rule(4.0, 97.6, 40.0, 0.5);
        page.paragraph(
            4.0,
            50.0,
            30.0,
            Font::regular(9.0),
            4.0,
            3,
            "one two three four five",
        );
        let (bytes, warnings) = save("test", vec![page]);
        assert!(bytes.starts_with(b"%PDF-"));
        let errors: Vec<_> = warnings
            .iter()
            .filter(|w| w.severity == PdfParseErrorSeverity::Error)
            .map(|w| &w.msg)
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn given_a_box_past_the_page_edge_when_text_is_drawn_then_it_is_cut_at_the_edge() {
        let mut page = Canvas::new(50.0, 50.0);
        let drawn = page.text(
            40.0,
            10.0,
            100.0,
            Font::regular(10.0),
            Align::Left,
            "far too long for the rest of the page",
        );
        assert!(drawn <= 10.0, "{drawn} mm drawn in the last 10 mm");
    }
}
