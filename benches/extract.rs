//! Extraction speed: every HTML page of `tests/pages` and, where it is present beside the
//! checkout, of `../shared/extract-dev/pages` (156 real pages); then hostile pages of deeply
//! nested `<div>`s. Run with `cargo bench --bench extract`. Goals: a typical page well under
//! 20 ms, 100,000 nested `<div>`s under 1 s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use readcast::extract::{extract, Document, ExtractOptions, Format};

fn html_pages(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut pages: Vec<PathBuf> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).filter(|path| path.extension().is_some_and(|ext| ext == "html")).collect();
    pages.sort();
    pages
}

/// Milliseconds to extract one page: the best of three runs.
fn time_page(name: &str, bytes: Vec<u8>) -> f64 {
    let document = Document { name: name.to_string(), bytes, hint: Some(Format::Html), charset: None, url: None };
    (0..3)
        .map(|_| {
            let started = Instant::now();
            let _ = extract(&document, &ExtractOptions::default());
            started.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in [root.join("tests/pages"), root.join("../shared/extract-dev/pages")] {
        let pages = html_pages(&folder);
        if pages.is_empty() {
            println!("{}: no pages", folder.display());
            continue;
        }
        let mut times: Vec<(f64, String, usize)> = pages
            .iter()
            .map(|page| {
                let bytes = std::fs::read(page).expect("page reads");
                let size = bytes.len();
                (time_page(&page.display().to_string(), bytes), page.file_name().unwrap_or_default().to_string_lossy().to_string(), size)
            })
            .collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let median = times[times.len() / 2].0;
        let p90 = times[times.len() * 9 / 10].0;
        let (slowest, name, size) = times.last().expect("pages");
        let median_kib = times[times.len() / 2].2 / 1024;
        println!("{}: {} pages, median {median:.1} ms (a {median_kib} KiB page), 90th percentile {p90:.1} ms, slowest {slowest:.1} ms ({name}, {} KiB)", folder.display(), times.len(), size / 1024);
    }
    for depth in [20_000, 100_000] {
        let page = format!("<html><body>{}<p>Deep text that still needs reading, surely.</p>{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth));
        println!("{depth} nested <div>s: {:.1} ms", time_page("deep", page.into_bytes()));
    }
}
