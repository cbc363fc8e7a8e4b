//! The 4×6 in (101.6 × 152.4 mm) shipping label (SPEC §2.4): carrier and service, sender,
//! recipient and address, COD, handling notes, the tracking number as Code128 and as text,
//! and a QR code that names the parcel for scanners that read QR only.
//!
//! The layout is fixed: every block has its place whatever the data, so packers find the same
//! thing in the same spot, and text that does not fit is wrapped or cut, never moved.

use serde::Serialize;

use super::barcode::{Code128Bars, QrMatrix};
use super::canvas::{self, Align, Area, Canvas, Ink};
use super::text::{self, Font};
use super::{DocumentError, DocumentKind, kilograms, require};

const WIDTH: f32 = 101.6;
const HEIGHT: f32 = 152.4;
const MARGIN: f32 = 4.0;
const INNER: f32 = WIDTH - 2.0 * MARGIN;
const CAPTION: Font = Font::regular(6.5);
const ADDRESS: Font = Font::regular(10.0);
const ADDRESS_LEADING: f32 = 4.4;
const ADDRESS_LINES: usize = 6;

/// Where the parcel goes, as printed (already validated and normalised by the order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelAddress {
    /// Street and number.
    pub line1: String,
    /// Building, floor, unit.
    pub line2: Option<String>,
    /// District.
    pub district: Option<String>,
    /// City.
    pub city: String,
    /// Province or state.
    pub region: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country, as the carrier wants it (ISO 3166-1 alpha-2 is fine).
    pub country: String,
}

/// Everything one shipping label shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelData {
    /// The order's number, e.g. `ORD-20260504-0007`.
    pub order_number: String,
    /// Who receives the parcel.
    pub recipient: String,
    /// The recipient's phone, as the carrier should dial it.
    pub phone: String,
    /// The delivery address.
    pub address: LabelAddress,
    /// The carrier's display name.
    pub carrier_name: String,
    /// The carrier's service, e.g. `STD`, `EXPRESS`.
    pub service_code: String,
    /// The carrier's tracking number: printable ASCII (it becomes a Code128 barcode).
    pub tracking_number: String,
    /// The sending warehouse's name.
    pub sender_name: String,
    /// The sending warehouse's city.
    pub sender_city: String,
    /// The packed weight in grams.
    pub weight_grams: u32,
    /// Cash to collect on delivery, formatted with its currency (`125.50 CNY`); printed as
    /// `COD 125.50 CNY` in a black band. `None` for prepaid parcels.
    pub cod: Option<String>,
    /// Handling notes for the courier, e.g. `GIFT WRAP`, each printed in bold.
    pub special_instructions: Vec<String>,
}

/// The QR code's payload: compact JSON `{"t":tracking,"o":order number,"c":carrier name}`.
///
/// Non-ASCII characters are written as `\uXXXX` escapes, so the payload is plain ASCII that
/// every scanner reads alike and still decodes, as JSON, to the exact text.
pub fn label_qr_payload(label: &LabelData) -> String {
    format!(
        r#"{{"t":{},"o":{},"c":{}}}"#,
        ascii_json(&label.tracking_number),
        ascii_json(&label.order_number),
        ascii_json(&label.carrier_name)
    )
}

/// Renders the 4×6 in label as a one-page PDF.
///
/// Refuses a blank order number, tracking number, recipient, first address line, city or
/// carrier name; a tracking number that is not printable ASCII or too long to print as a
/// readable Code128 across the label.
pub fn shipping_label(label: &LabelData) -> Result<Vec<u8>, DocumentError> {
    let document = DocumentKind::ShippingLabel;
    require(document, "order number", &label.order_number)?;
    require(document, "tracking number", &label.tracking_number)?;
    require(document, "recipient", &label.recipient)?;
    require(document, "address line 1", &label.address.line1)?;
    require(document, "city", &label.address.city)?;
    require(document, "carrier name", &label.carrier_name)?;
    let bars = Code128Bars::encode("tracking number", &label.tracking_number)?;
    let qr = QrMatrix::encode(&label_qr_payload(label))?;

    let mut page = Canvas::new(WIDTH, HEIGHT);
    header(&mut page, label);
    ship_to(&mut page, label);
    cod_and_notes(&mut page, label);

    bars.draw(
        &mut page,
        Area {
            x: MARGIN,
            top: 96.5,
            width: INNER,
            height: 20.0,
        },
        "tracking number",
        &label.tracking_number,
    )?;
    page.text(
        MARGIN,
        121.5,
        INNER,
        Font::bold(12.0),
        Align::Center,
        &label.tracking_number,
    );
    page.rule(MARGIN, WIDTH - MARGIN, 124.0, 0.5);

    qr.draw(&mut page, MARGIN, 125.5, 23.0);
    let right = MARGIN + 25.0;
    let right_width = WIDTH - MARGIN - right;
    page.text(right, 130.5, right_width, CAPTION, Align::Left, "ORDER");
    page.text(
        right,
        135.5,
        right_width,
        Font::bold(12.0),
        Align::Left,
        &label.order_number,
    );
    page.text(right, 141.5, right_width, CAPTION, Align::Left, "WEIGHT");
    page.text(
        right,
        146.5,
        right_width,
        Font::bold(12.0),
        Align::Left,
        &kilograms(u64::from(label.weight_grams)),
    );

    Ok(canvas::render(
        &format!("Label {}", label.tracking_number),
        vec![page],
    ))
}

/// Carrier and service on top, the sender under them.
fn header(page: &mut Canvas, label: &LabelData) {
    let service_box = Area {
        x: WIDTH - MARGIN - 28.0,
        top: 4.5,
        width: 28.0,
        height: 8.0,
    };
    page.text(
        MARGIN,
        10.8,
        INNER - service_box.width - 2.0,
        Font::bold(14.0),
        Align::Left,
        &label.carrier_name,
    );
    page.outline(service_box, 0.4);
    page.text(
        service_box.x + 1.0,
        10.5,
        service_box.width - 2.0,
        Font::bold(12.0),
        Align::Center,
        &label.service_code,
    );
    page.rule(MARGIN, WIDTH - MARGIN, 14.5, 0.5);
    page.text(MARGIN, 18.7, 10.0, CAPTION, Align::Left, "FROM");
    page.text(
        MARGIN + 10.0,
        18.7,
        INNER - 10.0,
        Font::regular(8.0),
        Align::Left,
        &format!("{}, {}", label.sender_name, label.sender_city),
    );
    page.rule(MARGIN, WIDTH - MARGIN, 21.0, 0.2);
}

/// Recipient, address (at most six lines, the last cut with `...`) and phone.
fn ship_to(page: &mut Canvas, label: &LabelData) {
    page.text(MARGIN, 25.0, INNER, CAPTION, Align::Left, "SHIP TO");
    page.text(
        MARGIN,
        31.0,
        INNER,
        Font::bold(13.0),
        Align::Left,
        &label.recipient,
    );
    for (i, line) in address_lines(&label.address).iter().enumerate() {
        page.text(
            MARGIN,
            36.5 + ADDRESS_LEADING * i as f32,
            INNER,
            ADDRESS,
            Align::Left,
            line,
        );
    }
    if !label.phone.trim().is_empty() {
        page.text(
            MARGIN,
            63.5,
            INNER,
            ADDRESS,
            Align::Left,
            &format!("Tel {}", label.phone),
        );
    }
    page.rule(MARGIN, WIDTH - MARGIN, 66.5, 0.5);
}

/// The address as wrapped lines, at most [`ADDRESS_LINES`]: street and building first, then
/// district and city, region and postal code, country. The last three are what the carrier
/// sorts by, so they always keep their lines and a long street is cut instead.
fn address_lines(address: &LabelAddress) -> Vec<String> {
    let join = |parts: &[Option<&str>], separator: &str| -> String {
        parts
            .iter()
            .flatten()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(separator)
    };
    let sorting = [
        join(
            &[address.district.as_deref(), Some(address.city.as_str())],
            ", ",
        ),
        join(
            &[address.region.as_deref(), address.postal_code.as_deref()],
            " ",
        ),
        address.country.clone(),
    ];
    let sorting = text::wrap_paragraphs(ADDRESS, sorting.iter().map(String::as_str), INNER, 3);
    let street = [
        address.line1.as_str(),
        address.line2.as_deref().unwrap_or(""),
    ];
    let mut lines = text::wrap_paragraphs(ADDRESS, street, INNER, ADDRESS_LINES - sorting.len());
    lines.extend(sorting);
    lines
}

/// The COD band (white on black) when cash is due, then the handling notes.
fn cod_and_notes(page: &mut Canvas, label: &LabelData) {
    if let Some(cod) = label.cod.as_deref().filter(|c| !c.trim().is_empty()) {
        let band = Area {
            x: MARGIN,
            top: 68.5,
            width: INNER,
            height: 13.0,
        };
        page.fill(&[band]);
        page.text_in(
            MARGIN + 2.0,
            78.3,
            INNER - 4.0,
            Font::bold(20.0),
            Align::Center,
            Ink::White,
            &format!("COD {}", cod.trim()),
        );
    }
    let notes: Vec<&str> = label
        .special_instructions
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .collect();
    page.paragraph(
        MARGIN,
        87.0,
        INNER,
        Font::bold(10.0),
        4.2,
        2,
        &notes.join(" | "),
    );
    page.rule(MARGIN, WIDTH - MARGIN, 94.0, 0.5);
}

/// `text` as a JSON string literal with everything outside ASCII escaped.
fn ascii_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::testkit;

    fn label() -> LabelData {
        LabelData {
            order_number: "ORD-20260504-0007".into(),
            recipient: "Li Wei".into(),
            phone: "+8613800138000".into(),
            address: LabelAddress {
                line1: "88 Zhangjiang Road".into(),
                line2: Some("Building 7, Room 1203".into()),
                district: Some("Pudong".into()),
                city: "Shanghai".into(),
                region: Some("SH".into()),
                postal_code: Some("201203".into()),
                country: "CN".into(),
            },
            carrier_name: "Simulated Express".into(),
            service_code: "STD".into(),
            tracking_number: "SIM1234567890123".into(),
            sender_name: "Orderly East DC".into(),
            sender_city: "Suzhou".into(),
            weight_grams: 1250,
            cod: Some("125.50 CNY".into()),
            special_instructions: vec!["GIFT WRAP".into(), "FRAGILE".into()],
        }
    }

    #[test]
    fn the_qr_payload_is_compact_json_in_tracking_order_carrier_order() {
        assert_eq!(
            label_qr_payload(&label()),
            r#"{"t":"SIM1234567890123","o":"ORD-20260504-0007","c":"Simulated Express"}"#
        );
    }

    #[test]
    fn given_non_ascii_and_quotes_when_building_the_payload_then_json_keeps_the_true_text() {
        let mut data = label();
        data.carrier_name = "顺丰 \"SF\" 🚚\\".into();
        let payload = label_qr_payload(&data);
        assert!(payload.is_ascii(), "{payload}");
        let parsed: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(parsed["c"], "顺丰 \"SF\" 🚚\\");
        assert_eq!(parsed["t"], "SIM1234567890123");
    }

    #[test]
    fn given_a_cod_parcel_when_rendered_then_every_field_and_the_cod_line_are_printed() {
        let pdf = shipping_label(&label()).unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(
            &text,
            &[
                "Simulated Express",
                "STD",
                "FROM",
                "Orderly East DC, Suzhou",
                "SHIP TO",
                "Li Wei",
                "88 Zhangjiang Road",
                "Building 7, Room 1203",
                "Pudong, Shanghai",
                "SH 201203",
                "CN",
                "Tel +8613800138000",
                "COD 125.50 CNY",
                "GIFT WRAP | FRAGILE",
                "SIM1234567890123",
                "ORD-20260504-0007",
                "1.250 kg",
            ],
        );
        assert_eq!(testkit::pages(&pdf).len(), 1);
        testkit::assert_page_size_mm(&pdf, 101.6, 152.4);
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn given_a_prepaid_parcel_without_notes_when_rendered_then_no_cod_line_is_printed() {
        let mut data = label();
        data.cod = None;
        data.special_instructions.clear();
        let text = testkit::pdf_text(&shipping_label(&data).unwrap());
        assert!(!text.contains("COD"), "{text}");
        assert!(!text.contains("GIFT WRAP"), "{text}");
        assert!(text.contains("Li Wei"), "{text}");
    }

    #[test]
    fn when_the_label_is_scanned_then_the_qr_code_holds_the_payload() {
        let data = label();
        let pdf = shipping_label(&data).unwrap();
        let page = testkit::render_page(&pdf, 1, 300);
        assert_eq!(
            testkit::decode(&page, rxing::BarcodeFormat::QR_CODE),
            label_qr_payload(&data)
        );
    }

    #[test]
    fn when_the_label_is_scanned_then_the_code128_holds_the_tracking_number() {
        for tracking in [
            "SIM1234567890123",
            "1Z999AA10123456784",
            "JD0012345678-1-1-",
        ] {
            let mut data = label();
            data.tracking_number = tracking.into();
            let pdf = shipping_label(&data).unwrap();
            let page = testkit::render_page(&pdf, 1, 300);
            assert_eq!(
                testkit::decode(&page, rxing::BarcodeFormat::CODE_128),
                tracking
            );
        }
    }

    #[test]
    fn given_a_chinese_address_when_rendered_then_it_prints_question_marks_and_the_qr_keeps_utf8() {
        let mut data = label();
        data.recipient = "李伟".into();
        data.address.line1 = "张江路88号".into();
        data.carrier_name = "顺丰速运".into();
        let pdf = shipping_label(&data).unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(&text, &["??", "???88?", "????"]);
        let page = testkit::render_page(&pdf, 1, 300);
        let decoded = testkit::decode(&page, rxing::BarcodeFormat::QR_CODE);
        let parsed: serde_json::Value = serde_json::from_str(&decoded).unwrap();
        assert_eq!(parsed["c"], "顺丰速运");
    }

    #[test]
    fn given_text_too_long_for_the_label_when_rendered_then_it_is_cut_inside_the_page() {
        let mut data = label();
        data.recipient = "Maximilian Alexander Friedrich von Hohenzollern-Sigmaringen".into();
        data.address.line1 = "Apartment 12, Staircase B, 1234 Extraordinarily Long Boulevard \
                              of the Republic, next to the old railway station, opposite the \
                              market hall, behind the blue gate"
            .into();
        data.cod = Some("1234567890.00 CNY plus a note nobody should write here".into());
        data.special_instructions = vec!["CALL BEFORE DELIVERY, LEAVE WITH NEIGHBOUR".into(); 5];
        data.carrier_name = "A Carrier Whose Name Is Far Too Long For The Header".into();
        let pdf = shipping_label(&data).unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(
            &text,
            &[
                "Maximilian Alexander",
                "Apartment 12, Staircase B",
                "...",
                "Pudong, Shanghai",
                "SH 201203",
                "CN",
                "COD 1234567890.00 CNY",
            ],
        );
        assert!(
            !text.contains("Room 1203"),
            "the street is cut, not the city: {text}"
        );
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn given_a_blank_tracking_number_when_rendered_then_it_is_refused() {
        let mut data = label();
        data.tracking_number = " ".into();
        assert_eq!(
            shipping_label(&data).unwrap_err(),
            DocumentError::MissingField {
                document: DocumentKind::ShippingLabel,
                field: "tracking number"
            }
        );
    }

    #[test]
    fn given_a_tracking_number_too_long_for_the_label_when_rendered_then_it_is_refused() {
        let mut data = label();
        data.tracking_number = "AB".repeat(20);
        let err = shipping_label(&data).unwrap_err();
        assert!(
            matches!(
                err,
                DocumentError::BarcodeTooWide {
                    max_modules: 374,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
