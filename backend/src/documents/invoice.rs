//! The customer invoice (SPEC §2.4: put in the parcel or sent separately when the order asked
//! for one), A4: seller, the buyer's invoice title and tax id, order number and date, the
//! lines, then discount, shipping, total and the tax the total includes.
//!
//! Amounts arrive formatted with their currency (`1,299.00 CNY`): pricing and tax belong to the
//! order, and the invoice must print exactly what was charged, not recompute it.

use chrono::NaiveDate;
use serde::Serialize;

use super::canvas::{self, Align, Canvas};
use super::table::{self, A4_HEIGHT, A4_WIDTH, Cell, Column, FOOTER_TOP, MARGIN, Table};
use super::text::Font;
use super::{DocumentError, DocumentKind, require};

const FIRST_TABLE_TOP: f32 = 80.0;
const NEXT_TABLE_TOP: f32 = 27.0;
/// The summary under the table on the last page.
const TAIL: f32 = 34.0;

/// Who issues the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seller {
    /// The seller's legal name.
    pub name: String,
    /// Address lines, printed as given (up to four).
    pub address: Vec<String>,
    /// The seller's tax registration number.
    pub tax_id: Option<String>,
}

/// One invoiced line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceLine {
    /// The product as invoiced (wrapped to two lines).
    pub name: String,
    /// Units.
    pub quantity: u32,
    /// Unit price with currency.
    pub unit_price: String,
    /// Line total with currency.
    pub line_total: String,
}

/// Everything an invoice shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvoiceDoc {
    /// The issuer.
    pub seller: Seller,
    /// The name the buyer asked to be invoiced under (the "invoice title").
    pub buyer_title: String,
    /// The buyer's tax id, for a company invoice.
    pub buyer_tax_id: Option<String>,
    /// The order invoiced.
    pub order_number: String,
    /// The invoice date.
    pub date: NaiveDate,
    /// The lines.
    pub lines: Vec<InvoiceLine>,
    /// Discount with currency, as it should read (e.g. `-20.00 CNY`); `None` prints no line.
    pub discount: Option<String>,
    /// Shipping charged, with currency.
    pub shipping: String,
    /// The total charged, with currency.
    pub total: String,
    /// The tax the total includes, with currency.
    pub tax_included: String,
}

/// Renders the invoice as an A4 PDF: lines over as many pages as they need, the summary on the
/// last page.
///
/// Refuses a blank seller name, invoice title, order number or total.
pub fn invoice(doc: &InvoiceDoc) -> Result<Vec<u8>, DocumentError> {
    require(DocumentKind::Invoice, "seller name", &doc.seller.name)?;
    require(DocumentKind::Invoice, "invoice title", &doc.buyer_title)?;
    require(DocumentKind::Invoice, "order number", &doc.order_number)?;
    require(DocumentKind::Invoice, "total", &doc.total)?;

    let table = Table::new(vec![
        Column {
            title: "Item",
            width: 103.0,
            align: Align::Left,
        },
        Column {
            title: "Qty",
            width: 16.0,
            align: Align::Right,
        },
        Column {
            title: "Unit price",
            width: 33.0,
            align: Align::Right,
        },
        Column {
            title: "Amount",
            width: 34.0,
            align: Align::Right,
        },
    ]);
    let rows: Vec<_> = doc
        .lines
        .iter()
        .map(|l| {
            table.layout(vec![
                Cell::lines(&l.name, 2),
                Cell::line(l.quantity.to_string()),
                Cell::line(&l.unit_price),
                Cell::line(&l.line_total),
            ])
        })
        .collect();
    let heights: Vec<f32> = rows.iter().map(|r| r.height()).collect();
    let room = |top: f32| FOOTER_TOP - 2.0 - top - Table::header_height();
    let pages = table::paginate(&heights, room(FIRST_TABLE_TOP), room(NEXT_TABLE_TOP), TAIL);

    let mut canvases = Vec::with_capacity(pages.len());
    for (n, range) in pages.iter().enumerate() {
        let mut page = Canvas::new(A4_WIDTH, A4_HEIGHT);
        let table_top = if n == 0 {
            first_header(&mut page, doc);
            FIRST_TABLE_TOP
        } else {
            page.text(
                MARGIN,
                20.0,
                A4_WIDTH - 2.0 * MARGIN,
                Font::bold(12.0),
                Align::Left,
                &format!("INVOICE  Order {} (continued)", doc.order_number),
            );
            page.rule(MARGIN, A4_WIDTH - MARGIN, 24.0, 0.5);
            NEXT_TABLE_TOP
        };
        let mut top = table.draw_header(&mut page, table_top);
        for row in &rows[range.clone()] {
            top = table.draw_row(&mut page, top, row);
        }
        if n + 1 == pages.len() {
            summary(&mut page, top + 3.0, doc);
        }
        table::draw_footer(
            &mut page,
            &format!("Invoice  Order {}  {}", doc.order_number, doc.seller.name),
            n + 1,
            pages.len(),
        );
        canvases.push(page);
    }
    Ok(canvas::render(
        &format!("Invoice {}", doc.order_number),
        canvases,
    ))
}

/// Seller on the left, "INVOICE", order and date on the right, then the buyer.
fn first_header(page: &mut Canvas, doc: &InvoiceDoc) {
    let left = 104.0;
    page.text(
        MARGIN,
        20.0,
        left,
        Font::bold(14.0),
        Align::Left,
        &doc.seller.name,
    );
    let mut baseline = 26.0;
    for line in doc.seller.address.iter().take(4) {
        page.text(
            MARGIN,
            baseline,
            left,
            Font::regular(9.0),
            Align::Left,
            line,
        );
        baseline += 4.2;
    }
    if let Some(tax_id) = &doc.seller.tax_id {
        page.text(
            MARGIN,
            baseline,
            left,
            Font::regular(9.0),
            Align::Left,
            &format!("Tax ID: {tax_id}"),
        );
    }

    let right_x = MARGIN + left + 4.0;
    let right_width = A4_WIDTH - MARGIN - right_x;
    page.text(
        right_x,
        21.0,
        right_width,
        Font::bold(20.0),
        Align::Right,
        "INVOICE",
    );
    page.text(
        right_x,
        29.0,
        right_width,
        Font::regular(10.0),
        Align::Right,
        &format!("Order: {}", doc.order_number),
    );
    page.text(
        right_x,
        34.5,
        right_width,
        Font::regular(10.0),
        Align::Right,
        &format!("Date: {}", doc.date.format("%Y-%m-%d")),
    );

    page.rule(MARGIN, A4_WIDTH - MARGIN, 48.0, 0.5);
    let width = A4_WIDTH - 2.0 * MARGIN;
    page.text(
        MARGIN,
        54.0,
        width,
        Font::regular(8.0),
        Align::Left,
        "BILL TO",
    );
    page.paragraph(
        MARGIN,
        60.0,
        width,
        Font::bold(12.0),
        5.0,
        2,
        &doc.buyer_title,
    );
    if let Some(tax_id) = &doc.buyer_tax_id {
        page.text(
            MARGIN,
            71.0,
            width,
            Font::regular(10.0),
            Align::Left,
            &format!("Tax ID: {tax_id}"),
        );
    }
}

/// Discount, shipping, total and included tax, right-aligned under the amounts.
fn summary(page: &mut Canvas, top: f32, doc: &InvoiceDoc) {
    let label_x = A4_WIDTH - MARGIN - 90.0;
    let value_x = A4_WIDTH - MARGIN - 45.0;
    let mut lines: Vec<(&str, &str, Font)> = Vec::new();
    if let Some(discount) = &doc.discount {
        lines.push(("Discount", discount, Font::regular(10.0)));
    }
    lines.push(("Shipping", &doc.shipping, Font::regular(10.0)));
    lines.push(("Total", &doc.total, Font::bold(12.0)));
    lines.push(("Tax included", &doc.tax_included, Font::regular(9.0)));
    let mut baseline = top + 5.0;
    for (label, value, font) in lines {
        page.text(label_x, baseline, 44.0, font, Align::Left, label);
        page.text(value_x, baseline, 45.0, font, Align::Right, value);
        baseline += 6.5;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::testkit;

    fn line(n: u32) -> InvoiceLine {
        InvoiceLine {
            name: format!("Linen shirt, white, size M, variant {n}"),
            quantity: n % 3 + 1,
            unit_price: "199.00 CNY".into(),
            line_total: format!("{}.00 CNY", 199 * (n % 3 + 1)),
        }
    }

    fn doc(lines: Vec<InvoiceLine>) -> InvoiceDoc {
        InvoiceDoc {
            seller: Seller {
                name: "Orderly Demo Trading Co., Ltd.".into(),
                address: vec!["88 Century Avenue".into(), "Shanghai 200120, CN".into()],
                tax_id: Some("91310000MA1FL0XX1X".into()),
            },
            buyer_title: "Acme Software (Shanghai) Ltd.".into(),
            buyer_tax_id: Some("91310115MA1H9XXXXX".into()),
            order_number: "ORD-20260504-0007".into(),
            date: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            lines,
            discount: Some("-20.00 CNY".into()),
            shipping: "10.00 CNY".into(),
            total: "587.00 CNY".into(),
            tax_included: "67.53 CNY".into(),
        }
    }

    #[test]
    fn given_an_order_when_invoiced_then_every_field_is_printed() {
        let pdf = invoice(&doc(vec![line(1), line(2)])).unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(
            &text,
            &[
                "Orderly Demo Trading Co., Ltd.",
                "88 Century Avenue",
                "Shanghai 200120, CN",
                "Tax ID: 91310000MA1FL0XX1X",
                "INVOICE",
                "Order: ORD-20260504-0007",
                "Date: 2026-05-04",
                "BILL TO",
                "Acme Software (Shanghai) Ltd.",
                "Tax ID: 91310115MA1H9XXXXX",
                "Linen shirt, white, size M, variant 1",
                "199.00 CNY",
                "398.00 CNY",
                "597.00 CNY",
                "Discount",
                "-20.00 CNY",
                "Shipping",
                "10.00 CNY",
                "Total",
                "587.00 CNY",
                "Tax included",
                "67.53 CNY",
                "Page 1 of 1",
            ],
        );
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn given_no_discount_and_no_buyer_tax_id_when_invoiced_then_neither_line_is_printed() {
        let mut data = doc(vec![line(1)]);
        data.discount = None;
        data.buyer_tax_id = None;
        let text = testkit::pdf_text(&invoice(&data).unwrap());
        assert!(!text.contains("Discount"), "{text}");
        assert_eq!(text.matches("Tax ID").count(), 1, "{text}");
    }

    #[test]
    fn given_many_lines_when_invoiced_then_the_summary_closes_the_last_page() {
        let pdf = invoice(&doc((1..=60).map(line).collect())).unwrap();
        let pages = testkit::pages(&pdf);
        assert!(pages.len() >= 2);
        testkit::assert_contains_all(pages.last().unwrap(), &["Tax included", "587.00 CNY"]);
        testkit::assert_contains_all(&pages[1], &["Order ORD-20260504-0007 (continued)"]);
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn given_a_blank_invoice_title_when_invoiced_then_it_is_refused() {
        let mut data = doc(vec![line(1)]);
        data.buyer_title = String::new();
        assert_eq!(
            invoice(&data).unwrap_err(),
            DocumentError::MissingField {
                document: DocumentKind::Invoice,
                field: "invoice title"
            }
        );
    }
}
