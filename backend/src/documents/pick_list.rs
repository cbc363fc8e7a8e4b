//! The printed pick list of a wave (SPEC §2.3), A4 portrait: the wave's header with a Code128
//! of the wave number (the handheld scans it to open the wave), then one row per pick in the
//! order given — the service sorts along the walking path — with handling flags and, for batch
//! waves, how the units split over the put-wall slots. Long lists run over pages with the
//! table heading repeated and "Page n of m" at the foot of each.

use chrono::{DateTime, FixedOffset};
use orderly_shared::WaveKind;
use serde::Serialize;

use super::barcode::Code128Bars;
use super::canvas::{self, Align, Area, Canvas};
use super::table::{self, A4_HEIGHT, A4_WIDTH, Cell, Column, FOOTER_TOP, MARGIN, Table};
use super::text::Font;
use super::{DocumentError, DocumentKind, require};

const FIRST_TABLE_TOP: f32 = 58.0;
const NEXT_TABLE_TOP: f32 = 27.0;
const CHECKBOX: f32 = 3.4;

/// A handling flag printed beside a pick (SPEC §2.3: fragile and high-value items).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HandlingFlag {
    /// Handle with care; packs in a carton with bubble wrap.
    Fragile,
    /// Needs a second confirmation when picked.
    HighValue,
    /// Packs in a sealed bag.
    Liquid,
}

impl HandlingFlag {
    /// The flag as printed.
    pub fn label(self) -> &'static str {
        match self {
            HandlingFlag::Fragile => "FRAGILE",
            HandlingFlag::HighValue => "HIGH VALUE",
            HandlingFlag::Liquid => "LIQUID",
        }
    }
}

/// Units of a batch pick that go into one put-wall slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SlotQuantity {
    /// The slot number (1, 2, 3… as the wall assigns them).
    pub slot: u32,
    /// Units for that slot.
    pub quantity: u32,
}

/// One line of the pick list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickRow {
    /// The pick's place in the walk, from 1.
    pub seq: u32,
    /// The bin code, e.g. `A-01-03-2`.
    pub bin: String,
    /// The SKU.
    pub sku: String,
    /// The product name (wrapped to two lines).
    pub name: String,
    /// Units to pick.
    pub quantity: u32,
    /// Handling flags, each printed on its own line.
    pub flags: Vec<HandlingFlag>,
    /// Batch waves: how the units split over put-wall slots (ignored for discrete waves).
    pub slots: Vec<SlotQuantity>,
}

/// Everything the printed pick list of a wave shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PickListDoc {
    /// The wave's number: printed, and as a Code128 (printable ASCII).
    pub wave_number: String,
    /// The warehouse's name.
    pub warehouse: String,
    /// Discrete (one list per order) or batch (one list, then the put wall).
    pub kind: WaveKind,
    /// When the wave was created, in the warehouse's time zone.
    pub created_at: DateTime<FixedOffset>,
    /// Who picks; `None` prints a blank to fill in by hand.
    pub picker: Option<String>,
    /// The picks in walking order.
    pub rows: Vec<PickRow>,
}

/// Renders the pick list as an A4 PDF of as many pages as the rows need.
///
/// Refuses a blank wave number or warehouse and a wave number that cannot be a Code128.
pub fn pick_list(doc: &PickListDoc) -> Result<Vec<u8>, DocumentError> {
    require(DocumentKind::PickList, "wave number", &doc.wave_number)?;
    require(DocumentKind::PickList, "warehouse", &doc.warehouse)?;
    let bars = Code128Bars::encode("wave number", &doc.wave_number)?;

    let table = columns(doc.kind);
    let rows: Vec<_> = doc
        .rows
        .iter()
        .map(|r| table.layout(cells(doc.kind, r)))
        .collect();
    let heights: Vec<f32> = rows.iter().map(|r| r.height()).collect();
    let room = |top: f32| FOOTER_TOP - 2.0 - top - Table::header_height();
    let pages = table::paginate(&heights, room(FIRST_TABLE_TOP), room(NEXT_TABLE_TOP), 0.0);

    let mut canvases = Vec::with_capacity(pages.len());
    for (n, range) in pages.iter().enumerate() {
        let mut page = Canvas::new(A4_WIDTH, A4_HEIGHT);
        let table_top = if n == 0 {
            first_header(&mut page, doc, &bars)?;
            FIRST_TABLE_TOP
        } else {
            page.text(
                MARGIN,
                20.0,
                A4_WIDTH - 2.0 * MARGIN,
                Font::bold(12.0),
                Align::Left,
                &format!("PICK LIST  Wave {} (continued)", doc.wave_number),
            );
            page.rule(MARGIN, A4_WIDTH - MARGIN, 24.0, 0.5);
            NEXT_TABLE_TOP
        };
        let mut top = table.draw_header(&mut page, table_top);
        for row in &rows[range.clone()] {
            let check = table.column_box(0);
            page.outline(
                Area {
                    x: check.x + (check.width - CHECKBOX) / 2.0,
                    top: top + 1.5,
                    width: CHECKBOX,
                    height: CHECKBOX,
                },
                0.25,
            );
            top = table.draw_row(&mut page, top, row);
        }
        table::draw_footer(
            &mut page,
            &format!("Pick list  Wave {}  {}", doc.wave_number, doc.warehouse),
            n + 1,
            pages.len(),
        );
        canvases.push(page);
    }
    Ok(canvas::render(
        &format!("Pick list {}", doc.wave_number),
        canvases,
    ))
}

fn columns(kind: WaveKind) -> Table {
    let column = |title, width, align| Column {
        title,
        width,
        align,
    };
    let mut columns = vec![
        column("", 7.0, Align::Left),
        column("#", 9.0, Align::Right),
        column("Bin", 26.0, Align::Left),
        column("SKU", 30.0, Align::Left),
    ];
    match kind {
        WaveKind::Discrete => columns.extend([
            column("Item", 76.0, Align::Left),
            column("Qty", 14.0, Align::Right),
            column("Handling", 24.0, Align::Left),
        ]),
        WaveKind::Batch => columns.extend([
            column("Item", 44.0, Align::Left),
            column("Qty", 12.0, Align::Right),
            column("Handling", 24.0, Align::Left),
            column("Put wall", 34.0, Align::Left),
        ]),
    }
    Table::new(columns)
}

fn cells(kind: WaveKind, row: &PickRow) -> Vec<Cell> {
    let flags: Vec<&str> = row.flags.iter().map(|f| f.label()).collect();
    let mut cells = vec![
        Cell::line(""),
        Cell::line(row.seq.to_string()),
        Cell::line(&row.bin).bold(),
        Cell::lines(&row.sku, 2),
        Cell::lines(&row.name, 2),
        Cell::line(row.quantity.to_string()).bold(),
        Cell::lines(flags.join("\n"), 3).bold(),
    ];
    if kind == WaveKind::Batch {
        let slots: Vec<String> = row
            .slots
            .iter()
            .map(|s| format!("#{} \u{d7}{}", s.slot, s.quantity))
            .collect();
        cells.push(Cell::lines(slots.join(", "), 10));
    }
    cells
}

/// Title, wave, warehouse, kind, time and picker on the left; the wave's barcode and the
/// list's size on the right.
fn first_header(
    page: &mut Canvas,
    doc: &PickListDoc,
    bars: &Code128Bars,
) -> Result<(), DocumentError> {
    let left = 108.0;
    page.text(
        MARGIN,
        20.0,
        left,
        Font::bold(18.0),
        Align::Left,
        "PICK LIST",
    );
    page.text(
        MARGIN,
        28.0,
        left,
        Font::bold(13.0),
        Align::Left,
        &format!("Wave {}", doc.wave_number),
    );
    let kind = match doc.kind {
        WaveKind::Discrete => "DISCRETE (pick by order)",
        WaveKind::Batch => "BATCH (then sort into the put wall)",
    };
    let picker = doc.picker.as_deref().unwrap_or("____________________");
    let info = [
        format!("Warehouse: {}", doc.warehouse),
        format!("Kind: {kind}"),
        format!("Created: {}", doc.created_at.format("%Y-%m-%d %H:%M %:z")),
        format!("Picker: {picker}"),
    ];
    for (i, line) in info.iter().enumerate() {
        page.text(
            MARGIN,
            35.0 + 5.5 * i as f32,
            left,
            Font::regular(10.0),
            Align::Left,
            line,
        );
    }

    let right = Area {
        x: A4_WIDTH - MARGIN - 74.0,
        top: 13.0,
        width: 74.0,
        height: 16.0,
    };
    bars.draw(page, right, "wave number", &doc.wave_number)?;
    page.text(
        right.x,
        33.5,
        right.width,
        Font::regular(9.0),
        Align::Center,
        &doc.wave_number,
    );
    let units: u64 = doc.rows.iter().map(|r| u64::from(r.quantity)).sum();
    page.text(
        right.x,
        46.0,
        right.width,
        Font::regular(10.0),
        Align::Right,
        &format!("{} lines, {units} units", doc.rows.len()),
    );
    page.rule(MARGIN, A4_WIDTH - MARGIN, 55.0, 0.5);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::testkit;
    use chrono::TimeZone;

    fn row(seq: u32) -> PickRow {
        PickRow {
            seq,
            bin: format!("A-01-{:02}-{}", seq, seq % 4 + 1),
            sku: format!("SKU-{seq:04}"),
            name: format!("Ceramic mug, blue, 350 ml, item {seq}"),
            quantity: seq % 3 + 1,
            flags: Vec::new(),
            slots: Vec::new(),
        }
    }

    fn doc(kind: WaveKind, rows: Vec<PickRow>) -> PickListDoc {
        PickListDoc {
            wave_number: "W-20260504-003".into(),
            warehouse: "Orderly East DC".into(),
            kind,
            created_at: FixedOffset::east_opt(8 * 3600)
                .unwrap()
                .with_ymd_and_hms(2026, 5, 4, 9, 30, 0)
                .unwrap(),
            picker: Some("Zhang Min".into()),
            rows,
        }
    }

    #[test]
    fn given_a_discrete_wave_when_rendered_then_the_header_and_every_row_field_are_printed() {
        let mut first = row(1);
        first.flags = vec![HandlingFlag::Fragile, HandlingFlag::HighValue];
        let pdf = pick_list(&doc(WaveKind::Discrete, vec![first, row(2)])).unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(
            &text,
            &[
                "PICK LIST",
                "Wave W-20260504-003",
                "Warehouse: Orderly East DC",
                "Kind: DISCRETE",
                "Created: 2026-05-04 09:30 +08:00",
                "Picker: Zhang Min",
                "2 lines, 5 units",
                "A-01-01-2",
                "SKU-0001",
                "Ceramic mug, blue, 350 ml, item 1",
                "FRAGILE",
                "HIGH VALUE",
                "A-01-02-3",
                "Page 1 of 1",
            ],
        );
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn given_a_batch_wave_when_rendered_then_the_put_wall_breakdown_is_printed() {
        let mut first = row(1);
        first.quantity = 5;
        first.slots = vec![
            SlotQuantity {
                slot: 1,
                quantity: 2,
            },
            SlotQuantity {
                slot: 4,
                quantity: 3,
            },
        ];
        let pdf = pick_list(&doc(WaveKind::Batch, vec![first])).unwrap();
        let text = testkit::pdf_text(&pdf);
        testkit::assert_contains_all(
            &text,
            &["Kind: BATCH", "Put wall", "#1 \u{d7}2, #4 \u{d7}3"],
        );
    }

    #[test]
    fn given_a_long_wave_when_rendered_then_rows_continue_on_numbered_pages() {
        let rows: Vec<PickRow> = (1..=90).map(row).collect();
        let pdf = pick_list(&doc(WaveKind::Discrete, rows)).unwrap();
        let pages = testkit::pages(&pdf);
        assert!(pages.len() >= 2, "{} page(s)", pages.len());
        let total = pages.len();
        for (n, page) in pages.iter().enumerate() {
            assert!(
                page.contains(&format!("Page {} of {total}", n + 1)),
                "{page}"
            );
            assert!(page.contains("Bin") && page.contains("Qty"), "{page}");
        }
        testkit::assert_contains_all(&pages[1], &["Wave W-20260504-003 (continued)"]);
        for seq in 1..=90 {
            let sku = format!("SKU-{seq:04}");
            let on: Vec<usize> = (0..total).filter(|p| pages[*p].contains(&sku)).collect();
            assert_eq!(on.len(), 1, "{sku} on pages {on:?}");
        }
        assert!(pages[1].contains("SKU-0090") || pages[total - 1].contains("SKU-0090"));
        testkit::assert_text_inside_pages(&pdf);
    }

    #[test]
    fn when_the_pick_list_is_scanned_then_the_header_barcode_holds_the_wave_number() {
        let pdf = pick_list(&doc(WaveKind::Discrete, vec![row(1)])).unwrap();
        let page = testkit::render_page(&pdf, 1, 300);
        assert_eq!(
            testkit::decode(&page, rxing::BarcodeFormat::CODE_128),
            "W-20260504-003"
        );
    }

    #[test]
    fn given_no_picker_when_rendered_then_a_blank_is_left_to_fill_in() {
        let mut data = doc(WaveKind::Discrete, vec![row(1)]);
        data.picker = None;
        let text = testkit::pdf_text(&pick_list(&data).unwrap());
        assert!(text.contains("Picker: ____"), "{text}");
    }

    #[test]
    fn given_a_wave_number_with_non_ascii_when_rendered_then_it_is_refused() {
        let data = doc(WaveKind::Discrete, vec![row(1)]);
        let data = PickListDoc {
            wave_number: "W-波次-1".into(),
            ..data
        };
        assert!(matches!(
            pick_list(&data).unwrap_err(),
            DocumentError::UnencodableBarcode {
                character: '波',
                ..
            }
        ));
    }
}
