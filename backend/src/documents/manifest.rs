//! The carrier hand-over manifest (SPEC §2.4), A4: which parcels one carrier's driver took from
//! one warehouse, when and from whom, with the totals the driver checks (parcel count, weight,
//! cash to collect) and lines for both sides to sign. The signed copy is the warehouse's proof
//! of hand-over, so the totals are computed here from the parcels rather than taken on trust.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::canvas::{self, Align, Canvas};
use super::table::{self, A4_HEIGHT, A4_WIDTH, Cell, Column, FOOTER_TOP, MARGIN, Table};
use super::text::Font;
use super::{DocumentError, DocumentKind, kilograms, require};
use crate::domain::money::{Currency, Money};

const FIRST_TABLE_TOP: f32 = 58.0;
const NEXT_TABLE_TOP: f32 = 27.0;
/// Totals and the two signature blocks under the table on the last page.
const TAIL: f32 = 68.0;

/// One parcel handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestParcel {
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// The order the parcel ships.
    pub order_number: String,
    /// The packed weight in grams.
    pub weight_grams: u32,
    /// Cash the carrier collects on delivery, if any.
    pub cod: Option<Money>,
}

/// Everything a hand-over manifest shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestDoc {
    /// The manifest's number.
    pub manifest_number: String,
    /// The carrier's name.
    pub carrier: String,
    /// The warehouse's name.
    pub warehouse: String,
    /// When the parcels were handed over, in the warehouse's time zone.
    pub handed_over_at: DateTime<FixedOffset>,
    /// Who handed them over.
    pub handed_over_by: String,
    /// The parcels, in the order to print.
    pub parcels: Vec<ManifestParcel>,
}

/// Renders the manifest as an A4 PDF: the parcels table over as many pages as it needs, then
/// the totals and signature lines on the last page.
///
/// Refuses a blank manifest number or carrier, and COD amounts whose sum overflows.
pub fn manifest(doc: &ManifestDoc) -> Result<Vec<u8>, DocumentError> {
    require(
        DocumentKind::Manifest,
        "manifest number",
        &doc.manifest_number,
    )?;
    require(DocumentKind::Manifest, "carrier", &doc.carrier)?;
    let cod_total = cod_totals(&doc.parcels)?;
    let weight: u64 = doc.parcels.iter().map(|p| u64::from(p.weight_grams)).sum();

    let table = Table::new(vec![
        Column {
            title: "#",
            width: 12.0,
            align: Align::Right,
        },
        Column {
            title: "Tracking number",
            width: 58.0,
            align: Align::Left,
        },
        Column {
            title: "Order number",
            width: 54.0,
            align: Align::Left,
        },
        Column {
            title: "Weight",
            width: 26.0,
            align: Align::Right,
        },
        Column {
            title: "COD",
            width: 36.0,
            align: Align::Right,
        },
    ]);
    let rows: Vec<_> = doc
        .parcels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            table.layout(vec![
                Cell::line((i + 1).to_string()),
                Cell::line(&p.tracking_number).bold(),
                Cell::line(&p.order_number),
                Cell::line(kilograms(u64::from(p.weight_grams))),
                Cell::line(p.cod.map(|m| m.to_string()).unwrap_or_default()),
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
                &format!(
                    "CARRIER MANIFEST  {}  {} (continued)",
                    doc.manifest_number, doc.carrier
                ),
            );
            page.rule(MARGIN, A4_WIDTH - MARGIN, 24.0, 0.5);
            NEXT_TABLE_TOP
        };
        let mut top = table.draw_header(&mut page, table_top);
        for row in &rows[range.clone()] {
            top = table.draw_row(&mut page, top, row);
        }
        if n + 1 == pages.len() {
            totals_and_signatures(&mut page, top + 4.0, doc.parcels.len(), weight, &cod_total);
        }
        table::draw_footer(
            &mut page,
            &format!("Manifest {}  {}", doc.manifest_number, doc.carrier),
            n + 1,
            pages.len(),
        );
        canvases.push(page);
    }
    Ok(canvas::render(
        &format!("Manifest {}", doc.manifest_number),
        canvases,
    ))
}

/// The COD to collect, one sum per currency (a manifest could mix them; they never add up).
fn cod_totals(parcels: &[ManifestParcel]) -> Result<Vec<Money>, DocumentError> {
    let mut totals: BTreeMap<Currency, Money> = BTreeMap::new();
    for cod in parcels.iter().filter_map(|p| p.cod) {
        let sum = match totals.get(&cod.currency()) {
            Some(so_far) => so_far.checked_add(cod)?,
            None => cod,
        };
        totals.insert(cod.currency(), sum);
    }
    Ok(totals.into_values().collect())
}

fn first_header(page: &mut Canvas, doc: &ManifestDoc) {
    let width = A4_WIDTH - 2.0 * MARGIN;
    page.text(
        MARGIN,
        20.0,
        width,
        Font::bold(18.0),
        Align::Left,
        "CARRIER MANIFEST",
    );
    page.text(
        MARGIN,
        28.0,
        width,
        Font::bold(13.0),
        Align::Left,
        &format!("Manifest {}", doc.manifest_number),
    );
    let info = [
        format!("Carrier: {}", doc.carrier),
        format!("Warehouse: {}", doc.warehouse),
        format!(
            "Handed over at: {}",
            doc.handed_over_at.format("%Y-%m-%d %H:%M %:z")
        ),
        format!("Handed over by: {}", doc.handed_over_by),
    ];
    for (i, line) in info.iter().enumerate() {
        page.text(
            MARGIN,
            35.0 + 5.5 * i as f32,
            width,
            Font::regular(10.0),
            Align::Left,
            line,
        );
    }
    page.rule(MARGIN, A4_WIDTH - MARGIN, 55.0, 0.5);
}

/// Parcel count, weight and COD, then "Driver" and "Warehouse" blocks with name, signature and
/// time lines; [`TAIL`] millimetres from `top`.
fn totals_and_signatures(page: &mut Canvas, top: f32, parcels: usize, grams: u64, cod: &[Money]) {
    let width = A4_WIDTH - 2.0 * MARGIN;
    let cod = if cod.is_empty() {
        "none".to_string()
    } else {
        cod.iter()
            .map(Money::to_string)
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let totals = [
        format!("Parcels: {parcels}"),
        format!("Total weight: {}", kilograms(grams)),
        format!("Total COD: {cod}"),
    ];
    for (i, line) in totals.iter().enumerate() {
        page.text(
            MARGIN,
            top + 6.0 + 6.0 * i as f32,
            width,
            Font::bold(11.0),
            Align::Left,
            line,
        );
    }
    let block_width = (width - 10.0) / 2.0;
    for (i, title) in ["Driver (carrier)", "Warehouse"].iter().enumerate() {
        let x = MARGIN + i as f32 * (block_width + 10.0);
        let block_top = top + 28.0;
        page.text(
            x,
            block_top,
            block_width,
            Font::bold(10.0),
            Align::Left,
            title,
        );
        for (j, field) in ["Name", "Signature", "Date / time"].iter().enumerate() {
            let baseline = block_top + 11.0 + 11.0 * j as f32;
            page.text(x, baseline, 22.0, Font::regular(9.0), Align::Left, field);
            page.rule(x + 22.0, x + block_width, baseline + 0.8, 0.2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::testkit;
    use chrono::TimeZone;
    use rust_decimal::Decimal;

    fn cny(cents: i64) -> Money {
        Money::new(Decimal::new(cents, 2), Currency::Cny)
    }

    fn parcel(n: u32, cod: Option<Money>) -> ManifestParcel {
        ManifestParcel {
            tracking_number: format!("SIM{:013}", 1_000 + n),
            order_number: format!("ORD-20260504-{n:04}"),
            weight_grams: 500 + n * 10,
            cod,
        }
    }

    fn doc(parcels: Vec<ManifestParcel>) -> ManifestDoc {
        ManifestDoc {
            manifest_number: "M-20260504-01".into(),
            carrier: "Simulated Express".into(),
            warehouse: "Orderly East DC".into(),
            handed_over_at: FixedOffset::east_opt(8 * 3600)
                .unwrap()
                .with_ymd_and_hms(2026, 5, 4, 17, 45, 0)
                .unwrap(),
            handed_over_by: "Wang Fang".into(),
            parcels,
        }
    }

    #[test]
    fn given_parcels_with_and_without_cod_when_rendered_then_rows_totals_and_signatures_print() {
        let pdf = manifest(&doc(vec![
            parcel(1, Some(cny(12550))),
            parcel(2, None),
            parcel(3, Some(cny(4000))),
        ]))
        .unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(
            &text,
            &[
                "CARRIER MANIFEST",
                "Manifest M-20260504-01",
                "Carrier: Simulated Express",
                "Warehouse: Orderly East DC",
                "Handed over at: 2026-05-04 17:45 +08:00",
                "Handed over by: Wang Fang",
                "SIM0000000001001",
                "ORD-20260504-0001",
                "0.510 kg",
                "125.50 CNY",
                "SIM0000000001002",
                "40.00 CNY",
                "Parcels: 3",
                "Total weight: 1.560 kg",
                "Total COD: 165.50 CNY",
                "Driver (carrier)",
                "Warehouse",
                "Signature",
                "Date / time",
                "Page 1 of 1",
            ],
        );
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn given_no_cod_parcels_when_rendered_then_the_cod_total_says_none() {
        let text = testkit::pdf_text(&manifest(&doc(vec![parcel(1, None)])).unwrap());
        assert!(text.contains("Total COD: none"), "{text}");
    }

    #[test]
    fn given_cod_in_two_currencies_when_totalled_then_each_currency_is_summed_apart() {
        let usd = Money::new(Decimal::new(1000, 2), Currency::Usd);
        let totals = cod_totals(&[
            parcel(1, Some(cny(100))),
            parcel(2, Some(usd)),
            parcel(3, Some(cny(250))),
        ])
        .unwrap();
        assert_eq!(totals, vec![cny(350), usd]);
    }

    #[test]
    fn given_many_parcels_when_rendered_then_the_totals_follow_the_last_row_on_the_last_page() {
        let parcels: Vec<_> = (1..=70).map(|n| parcel(n, Some(cny(1000)))).collect();
        let pdf = manifest(&doc(parcels)).unwrap();
        let pages = testkit::pages(&pdf);
        assert!(pages.len() >= 2);
        let last = pages.last().unwrap();
        testkit::assert_contains_all(last, &["Parcels: 70", "Total COD: 700.00 CNY", "Warehouse"]);
        assert!(!pages[0].contains("Parcels: 70"));
        for n in [1u32, 35, 70] {
            let order = format!("ORD-20260504-{n:04}");
            assert_eq!(
                pages.iter().filter(|p| p.contains(&order)).count(),
                1,
                "{order}"
            );
        }
        testkit::assert_text_inside_pages(&pdf);
    }
}
