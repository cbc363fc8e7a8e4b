//! Test helpers that read the rendered PDFs the way a person or a scanner would: poppler's
//! `pdftotext` for the words and their boxes, `pdftoppm` for a 300 dpi picture, rxing to scan
//! the barcodes in it. The poppler tools come from Debian's `poppler-utils`; when one is
//! missing the test fails and says so rather than passing without having looked.

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

/// A page rendered to 8-bit grey.
pub(crate) struct Picture {
    pub width: u32,
    pub height: u32,
    pub luma: Vec<u8>,
}

/// A word pdftotext found, with its box in points from the top-left of its page.
struct Word {
    text: String,
    x_min: f32,
    y_min: f32,
    x_max: f32,
    y_max: f32,
}

/// Runs `tool` with `args`, failing the test with install advice when it is not there.
fn run(tool: &str, args: &[&str]) -> Vec<u8> {
    let output = match Command::new(tool).args(args).output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{tool}` is not installed, so the PDF cannot be checked: install the Debian package \
             poppler-utils (apt-get install -y poppler-utils)"
        ),
        Err(e) => panic!("`{tool}` could not be started: {e}"),
    };
    assert!(
        output.status.success(),
        "`{tool} {}` failed ({}): {}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn with_pdf_file<T>(pdf: &[u8], f: impl FnOnce(&Path) -> T) -> T {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    f(&path)
}

/// The whole document as `pdftotext -layout` reads it; pages are separated by form feeds.
pub(crate) fn pdf_text(pdf: &[u8]) -> String {
    with_pdf_file(pdf, |path| {
        let out = run(
            "pdftotext",
            &["-layout", "-enc", "UTF-8", path.to_str().unwrap(), "-"],
        );
        String::from_utf8(out).unwrap()
    })
}

/// The text of each page.
pub(crate) fn pages(pdf: &[u8]) -> Vec<String> {
    let text = pdf_text(pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Fails naming every expected string that `text` lacks.
pub(crate) fn assert_contains_all(text: &str, expected: &[&str]) {
    let missing: Vec<&&str> = expected.iter().filter(|e| !text.contains(**e)).collect();
    assert!(missing.is_empty(), "missing {missing:?} in:\n{text}");
}

/// Every page is `width` × `height` millimetres (within a tenth).
pub(crate) fn assert_page_size_mm(pdf: &[u8], width: f32, height: f32) {
    for (page_width, page_height, _) in word_boxes(pdf) {
        let mm = |pt: f32| pt * 25.4 / 72.0;
        assert!(
            (mm(page_width) - width).abs() < 0.1 && (mm(page_height) - height).abs() < 0.1,
            "page is {} x {} mm",
            mm(page_width),
            mm(page_height)
        );
    }
}

/// Every word poppler finds lies inside its page, at least 1 mm from the edges.
pub(crate) fn assert_text_inside_pages(pdf: &[u8]) {
    let edge = 72.0 / 25.4;
    for (n, (width, height, words)) in word_boxes(pdf).into_iter().enumerate() {
        assert!(!words.is_empty(), "page {} has no text", n + 1);
        for w in words {
            assert!(
                w.x_min >= edge
                    && w.y_min >= edge
                    && w.x_max <= width - edge
                    && w.y_max <= height - edge,
                "page {}: {:?} at {:?} is outside {width} x {height} pt",
                n + 1,
                w.text,
                (w.x_min, w.y_min, w.x_max, w.y_max)
            );
        }
    }
}

/// Per page: its width and height in points and its words, from `pdftotext -bbox`.
fn word_boxes(pdf: &[u8]) -> Vec<(f32, f32, Vec<Word>)> {
    let html = with_pdf_file(pdf, |path| {
        String::from_utf8(run("pdftotext", &["-bbox", path.to_str().unwrap(), "-"])).unwrap()
    });
    let attr = |tag: &str, name: &str| -> f32 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let head = &page[..page.find('>').unwrap()];
        let mut words = Vec::new();
        for word in page.split("<word ").skip(1) {
            let close = word.find('>').unwrap();
            let tag = &word[..close];
            let text = &word[close + 1..word.find("</word>").unwrap()];
            words.push(Word {
                text: text.to_string(),
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
            });
        }
        pages.push((attr(head, "width"), attr(head, "height"), words));
    }
    assert!(!pages.is_empty(), "pdftotext -bbox found no pages");
    pages
}

/// Page `page` (from 1) rendered by `pdftoppm -png` at `dpi`, in grey.
pub(crate) fn render_page(pdf: &[u8], page: usize, dpi: u32) -> Picture {
    with_pdf_file(pdf, |path| {
        let dir = path.parent().unwrap();
        let prefix = dir.join("page");
        let (page, dpi) = (page.to_string(), dpi.to_string());
        run(
            "pdftoppm",
            &[
                "-r",
                &dpi,
                "-f",
                &page,
                "-l",
                &page,
                "-gray",
                "-png",
                "-singlefile",
                path.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        let png_bytes = std::fs::read(dir.join("page.png")).unwrap();
        let decoder = png::Decoder::new(Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buffer).unwrap();
        assert_eq!(info.bit_depth, png::BitDepth::Eight, "8-bit grey expected");
        let channels = info.color_type.samples();
        let luma = buffer[..info.line_size * info.height as usize]
            .chunks(info.line_size)
            .flat_map(|line| {
                line.chunks(channels)
                    .take(info.width as usize)
                    .map(|px| px[0])
                    .collect::<Vec<_>>()
            })
            .collect();
        Picture {
            width: info.width,
            height: info.height,
            luma,
        }
    })
}

/// The text of the one `format` barcode rxing finds in `picture`; fails if it finds none.
pub(crate) fn decode(picture: &Picture, format: rxing::BarcodeFormat) -> String {
    match rxing::helpers::detect_in_luma(
        picture.luma.clone(),
        picture.width,
        picture.height,
        Some(format),
    ) {
        Ok(result) => result.getText().to_string(),
        Err(e) => panic!("no {format:?} found in the rendered page: {e}"),
    }
}
