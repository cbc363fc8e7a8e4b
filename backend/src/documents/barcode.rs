//! Code128 and QR symbols drawn as vector rectangles, so they stay sharp and scannable at any
//! print size (a bitmap would be resampled by the printer driver and blur its edges).
//!
//! Code128 bar widths are whole multiples of a 203 dpi thermal printer's dot (the common label
//! printer), at least two dots, so every bar prints with the same number of dots.

use barcoders::sym::code128::Code128;
use qrcode::{EcLevel, QrCode};

use super::DocumentError;
use super::canvas::{Area, Canvas};

/// One dot of a 203 dpi printer, in millimetres.
const DOT_MM: f32 = 25.4 / 203.0;
/// The narrowest bar we print: two dots (0.25 mm), within what hand scanners read.
const MIN_DOTS: u32 = 2;
/// Wider bars than four dots (0.5 mm) gain nothing but length.
const MAX_DOTS: u32 = 4;
/// The blank margin each side of a Code128 symbol, in modules (the standard asks for ten).
const QUIET_MODULES: usize = 10;
/// The blank margin around a QR symbol, in modules (the standard asks for four).
const QR_QUIET_MODULES: usize = 4;

/// Barcoders' markers for the Code128 character sets B (printable ASCII) and C (digit pairs).
const SET_B: char = 'Ɓ';
const SET_C: char = 'Ć';

/// A Code128 symbol: one entry per module, `true` for a bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Code128Bars(Vec<bool>);

impl Code128Bars {
    /// Encodes `value` (printable ASCII), using set C for long digit runs to keep the symbol
    /// short. `field` names the value in errors.
    pub fn encode(field: &'static str, value: &str) -> Result<Code128Bars, DocumentError> {
        let data = code128_data(value).map_err(|character| DocumentError::UnencodableBarcode {
            field,
            value: value.to_string(),
            character,
        })?;
        // `code128_data` only emits what barcoders accepts; should it ever refuse, blame the
        // first character rather than panic.
        let symbol = Code128::new(&data).map_err(|_| DocumentError::UnencodableBarcode {
            field,
            value: value.to_string(),
            character: value.chars().next().unwrap_or(' '),
        })?;
        Ok(Code128Bars(
            symbol.encode().into_iter().map(|m| m == 1).collect(),
        ))
    }

    /// Modules in the symbol, quiet zones excluded.
    pub fn modules(&self) -> usize {
        self.0.len()
    }

    /// The most modules (quiet zones included) that fit `width` millimetres at the narrowest
    /// printable bar.
    fn capacity(width: f32) -> usize {
        (width / (DOT_MM * MIN_DOTS as f32)).floor() as usize
    }

    /// Draws the symbol centred in `area` with its quiet zones inside the area, bars as wide as
    /// fits (two to four printer dots). Refuses a symbol that would need thinner bars.
    pub fn draw(
        &self,
        canvas: &mut Canvas,
        area: Area,
        field: &'static str,
        value: &str,
    ) -> Result<(), DocumentError> {
        let total = self.modules() + 2 * QUIET_MODULES;
        let dots = (area.width / (total as f32 * DOT_MM)).floor() as u32;
        if dots < MIN_DOTS {
            return Err(DocumentError::BarcodeTooWide {
                field,
                value: value.to_string(),
                modules: total,
                max_modules: Code128Bars::capacity(area.width),
            });
        }
        let module = DOT_MM * dots.min(MAX_DOTS) as f32;
        let left = area.x + (area.width - self.modules() as f32 * module) / 2.0;
        let mut bars = Vec::new();
        let mut i = 0;
        while i < self.0.len() {
            if !self.0[i] {
                i += 1;
                continue;
            }
            let run = self.0[i..].iter().take_while(|bar| **bar).count();
            bars.push(Area {
                x: left + i as f32 * module,
                top: area.top,
                width: run as f32 * module,
                height: area.height,
            });
            i += run;
        }
        canvas.fill(&bars);
        Ok(())
    }
}

/// Barcoders' input for `value`: a start set, then set switches around digit runs long enough
/// to save space in set C (4 at either end, 6 inside, 2 for an all-digit value). Returns the
/// first character outside printable ASCII as the error.
fn code128_data(value: &str) -> Result<String, char> {
    let chars: Vec<char> = value.chars().collect();
    if let Some(bad) = chars.iter().find(|c| !(' '..='~').contains(*c)) {
        return Err(*bad);
    }
    let mut data = String::new();
    let mut set = None;
    let mut switch = |data: &mut String, to: char| {
        if set != Some(to) {
            data.push(to);
            set = Some(to);
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let (at_start, at_end) = (i == 0, i + run == chars.len());
        let worth = match (at_start, at_end) {
            (true, true) => run >= 2,
            (true, false) | (false, true) => run >= 4,
            (false, false) => run >= 6,
        };
        if run > 0 && worth {
            if run % 2 == 1 {
                switch(&mut data, SET_B);
                data.push(chars[i]);
                i += 1;
            }
            let pairs = run - run % 2;
            switch(&mut data, SET_C);
            data.extend(&chars[i..i + pairs]);
            i += pairs;
        } else {
            let plain = run.max(1);
            switch(&mut data, SET_B);
            data.extend(&chars[i..i + plain]);
            i += plain;
        }
    }
    Ok(data)
}

/// A QR symbol: `width` × `width` modules, row by row, `true` for dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `payload` at error-correction level Q (a quarter of the symbol may be scuffed
    /// or covered by tape and it still reads).
    pub fn encode(payload: &str) -> Result<QrMatrix, DocumentError> {
        let code =
            QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::Q).map_err(|_| {
                DocumentError::QrPayloadTooLong {
                    bytes: payload.len(),
                }
            })?;
        Ok(QrMatrix {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == qrcode::Color::Dark)
                .collect(),
        })
    }

    /// Draws the symbol with its quiet zone filling the square `x, top, side`.
    pub fn draw(&self, canvas: &mut Canvas, x: f32, top: f32, side: f32) {
        let module = side / (self.width + 2 * QR_QUIET_MODULES) as f32;
        let origin_x = x + QR_QUIET_MODULES as f32 * module;
        let origin_y = top + QR_QUIET_MODULES as f32 * module;
        let mut cells = Vec::new();
        for (row, modules) in self.dark.chunks(self.width).enumerate() {
            let mut col = 0;
            while col < modules.len() {
                if !modules[col] {
                    col += 1;
                    continue;
                }
                let run = modules[col..].iter().take_while(|dark| **dark).count();
                cells.push(Area {
                    x: origin_x + col as f32 * module,
                    top: origin_y + row as f32 * module,
                    width: run as f32 * module,
                    height: module,
                });
                col += run;
            }
        }
        canvas.fill(&cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_letters_then_a_long_digit_run_when_encoded_then_the_digits_use_set_c() {
        assert_eq!(code128_data("SF1234567890").unwrap(), "ƁSFĆ1234567890");
    }

    #[test]
    fn given_an_odd_digit_run_when_encoded_then_its_first_digit_stays_in_set_b() {
        assert_eq!(code128_data("W-12345").unwrap(), "ƁW-1Ć2345");
        assert_eq!(code128_data("1234567").unwrap(), "Ɓ1Ć234567");
    }

    #[test]
    fn given_short_digit_runs_inside_when_encoded_then_set_b_is_kept() {
        assert_eq!(code128_data("AB1234CD").unwrap(), "ƁAB1234CD");
        assert_eq!(code128_data("123456AB").unwrap(), "Ć123456ƁAB");
    }

    #[test]
    fn given_a_non_ascii_character_when_encoded_then_it_is_refused_by_name() {
        let err = Code128Bars::encode("tracking number", "SF12é").unwrap_err();
        assert_eq!(
            err,
            DocumentError::UnencodableBarcode {
                field: "tracking number",
                value: "SF12é".into(),
                character: 'é',
            }
        );
        assert!(err.to_string().contains("'é'"), "{err}");
    }

    #[test]
    fn given_a_value_too_long_for_the_area_when_drawn_then_it_is_refused_with_the_numbers() {
        let bars = Code128Bars::encode("tracking number", &"AB".repeat(30)).unwrap();
        let mut canvas = Canvas::new(101.6, 152.4);
        let area = Area {
            x: 4.0,
            top: 10.0,
            width: 60.0,
            height: 20.0,
        };
        let err = bars
            .draw(&mut canvas, area, "tracking number", "ABAB")
            .unwrap_err();
        match err {
            DocumentError::BarcodeTooWide {
                modules,
                max_modules,
                ..
            } => {
                assert_eq!(modules, bars.modules() + 20);
                assert_eq!(max_modules, 239);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn given_a_payload_beyond_qr_capacity_when_encoded_then_its_size_is_reported() {
        let payload = "x".repeat(4000);
        assert_eq!(
            QrMatrix::encode(&payload).unwrap_err(),
            DocumentError::QrPayloadTooLong { bytes: 4000 }
        );
    }
}
